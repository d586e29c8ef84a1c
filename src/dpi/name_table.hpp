// Names learnt from DNS answers: address -> the names it was resolved from,
// newest first. Bounded: the oldest address is forgotten first.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ip_address.hpp"
#include "core/tuple_hash.hpp"

namespace sockeye::dpi {

class NameTable {
public:
    static constexpr std::size_t kMaxNamesPerAddress = 4;

    explicit NameTable(std::size_t max_entries) : max_entries_(max_entries) {}

    void add(const core::IpAddress& address, std::string_view name);
    [[nodiscard]] std::vector<std::string> names_for(const core::IpAddress& address) const;
    [[nodiscard]] std::size_t size() const { return names_.size(); }

private:
    std::size_t max_entries_;
    std::unordered_map<core::IpAddress, std::vector<std::string>, core::IpAddressHash> names_;
    std::deque<core::IpAddress> order_;  // insertion order of the keys, for eviction
};

}  // namespace sockeye::dpi
