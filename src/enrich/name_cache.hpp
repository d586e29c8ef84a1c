// Reverse-DNS results by address, each until its expiry: a name, or "no name"
// (negative caching, so an address without a PTR record is not asked again
// every tick). Bounded: the oldest address is forgotten first.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <unordered_map>

#include "core/ip_address.hpp"
#include "core/tuple_hash.hpp"

namespace sockeye::enrich {

class NameCache {
public:
    using Clock = std::chrono::steady_clock;

    struct Entry {
        std::string name;  // empty: the address has no name (negative entry)
        Clock::time_point expires;
    };

    explicit NameCache(std::size_t max_entries) : max_entries_(max_entries) {}

    // Adds or replaces the entry of `address`.
    void put(const core::IpAddress& address, std::string name, Clock::time_point expires);
    // The entry, expired or not; nullptr if there is none.
    [[nodiscard]] const Entry* find(const core::IpAddress& address) const;
    [[nodiscard]] std::size_t size() const { return entries_.size(); }

private:
    std::size_t max_entries_;
    std::unordered_map<core::IpAddress, Entry, core::IpAddressHash> entries_;
    std::deque<core::IpAddress> order_;  // insertion order of the keys, for eviction
};

}  // namespace sockeye::enrich
