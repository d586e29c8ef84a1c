// The key process attribution works with: one socket's view of a flow
// (local side first), plus the answer the attributor gives for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/ip_address.hpp"
#include "core/socket_tuple.hpp"
#include "snapshot/process_info.hpp"

namespace sockeye::host {

inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::uint8_t kProtoIcmp = 1;
inline constexpr std::uint8_t kProtoIcmpv6 = 58;

// The tuple type is core's, shared with the eBPF owner records.
using core::SocketTuple;
using core::SocketTupleHash;

struct Attribution {
    std::shared_ptr<const snapshot::ProcessInfo> process;  // null when not attributed
    snapshot::ProcessMatch match = snapshot::ProcessMatch::none;
    snapshot::UnattributedReason reason = snapshot::UnattributedReason::pending;
    // The kernel's smoothed RTT of the local TCP socket (tcp_info through
    // sock_diag), refreshed while the flow is looked at; -1 unknown.
    std::int64_t kernel_srtt_ns = -1;
};

// TCP and UDP flows, and ICMP/ICMPv6 echo flows (identifier in the ports;
// other ICMP messages have no socket to look for).
bool is_attributable(std::uint8_t ip_proto, std::uint16_t local_port);
bool is_icmp(std::uint8_t ip_proto);

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
