// Connections another flow announced (FTP's data connections, from PASV /
// EPSV replies and PORT / EPRT commands), waiting for their first packet.
// Zeek calls them expected connections: content cannot tell an FTP data
// transfer from any other bytes, but the control connection said where it
// would come. Keyed by the announced server side (address and port), used
// once, bounded, and forgotten after a while of packet time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "core/ip_address.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

class ExpectationTable {
public:
    static constexpr std::size_t kDefaultCapacity = 4096;
    static constexpr std::int64_t kDefaultTtlNs = 120'000'000'000;  // 2 minutes

    explicit ExpectationTable(std::size_t capacity = kDefaultCapacity,
                              std::int64_t ttl_ns = kDefaultTtlNs);

    struct Expected {
        std::string_view protocol;  // a registry name: outlives the table
        snapshot::Announcer announcer;
    };

    // Announcing the same endpoint again refreshes it. At capacity the
    // oldest entry makes room.
    void add(const core::IpAddress& address, std::uint16_t port, const Expected& expected,
             std::int64_t now_ns);
    // What a new flow with this server side was announced as, and the entry
    // is used up; nullopt when none (or it expired).
    std::optional<Expected> take(const core::IpAddress& address, std::uint16_t port,
                                 std::int64_t now_ns);

    [[nodiscard]] std::size_t size() const { return entries_.size(); }
    [[nodiscard]] bool empty() const { return entries_.empty(); }

private:
    struct Key {
        core::IpAddress address;
        std::uint16_t port = 0;
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };
    struct Entry {
        Expected expected;
        std::int64_t added_ns = 0;
    };
    void make_room(std::int64_t now_ns);

    std::unordered_map<Key, Entry, KeyHash> entries_;
    std::size_t capacity_;
    std::int64_t ttl_ns_;
};

}  // namespace sockeye::dpi
