// The key process attribution works with: one socket's view of a flow
// (local side first), plus the answer the attributor gives for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/ip_address.hpp"
#include "snapshot/process_info.hpp"

namespace sockeye::host {

inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;

struct SocketTuple {
    std::uint8_t ip_proto = 0;  // kProtoTcp or kProtoUdp
    core::IpAddress local_ip;
    std::uint16_t local_port = 0;
    core::IpAddress remote_ip;
    std::uint16_t remote_port = 0;

    friend bool operator==(const SocketTuple&, const SocketTuple&) = default;
};

struct SocketTupleHash {
    std::size_t operator()(const SocketTuple& t) const noexcept;
};

struct Attribution {
    std::shared_ptr<const snapshot::ProcessInfo> process;  // null when not attributed
    snapshot::ProcessMatch match = snapshot::ProcessMatch::none;
    snapshot::UnattributedReason reason = snapshot::UnattributedReason::pending;
};

// ::ffff:a.b.c.d becomes a.b.c.d: a dual-stack IPv6 socket reports IPv4
// peers in that form, while the packet path sees plain IPv4.
core::IpAddress unmap_v4(const core::IpAddress& a);
// The tuple with both addresses unmapped.
SocketTuple normalized(const SocketTuple& t);
// 0.0.0.0 or :: (a socket bound to every address).
bool is_any_address(const core::IpAddress& a);
// 127.0.0.0/8 and ::1: local whether or not an interface lists them.
bool is_loopback(const core::IpAddress& a);

}  // namespace sockeye::host
