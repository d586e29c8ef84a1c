// The records the kernel programs write and sockeye reads back: the map key
// (a socket's addresses and ports) and value (who made it). Both sides use
// these offsets; the structs are plain bytes so no padding or byte order
// surprises cross the boundary.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sockeye::ebpf {

// Map key: 40 bytes.
struct RawFlowKey {
    std::uint8_t family = 0;        // AF_INET or AF_INET6, as in sock_common
    std::uint8_t protocol = 0;      // IPPROTO_TCP / UDP / ICMP / ICMPV6
    std::uint16_t local_port = 0;   // host order (skc_num; a ping socket's echo identifier)
    std::uint16_t remote_port = 0;  // network order (skc_dport)
    std::uint16_t pad = 0;          // always zero: the key is hashed as bytes
    std::uint8_t local_addr[16] = {};   // IPv4 in the first 4 bytes
    std::uint8_t remote_addr[16] = {};  // 0: not connected (unconnected UDP)
};
static_assert(sizeof(RawFlowKey) == 40);

// Map value: 40 bytes.
struct RawOwner {
    std::uint32_t tgid = 0;   // process id
    std::uint32_t uid = 0;
    char comm[16] = {};       // the thread group leader's comm, NUL-padded
    std::uint64_t ktime_ns = 0;  // CLOCK_MONOTONIC when recorded
    std::uint32_t netns = 0;  // the socket's network namespace (inode); 0: unknown
    std::uint32_t pad = 0;
};
static_assert(sizeof(RawOwner) == 40);

namespace layout {
inline constexpr std::int16_t kKeyFamily = 0, kKeyProtocol = 1, kKeyLocalPort = 2,
                              kKeyRemotePort = 4, kKeyLocalAddr = 8, kKeyRemoteAddr = 24;
inline constexpr std::int16_t kOwnerTgid = 0, kOwnerUid = 4, kOwnerComm = 8, kOwnerTime = 24,
                              kOwnerNetns = 32;
static_assert(offsetof(RawFlowKey, local_port) == kKeyLocalPort);
static_assert(offsetof(RawFlowKey, remote_port) == kKeyRemotePort);
static_assert(offsetof(RawFlowKey, local_addr) == kKeyLocalAddr);
static_assert(offsetof(RawFlowKey, remote_addr) == kKeyRemoteAddr);
static_assert(offsetof(RawOwner, uid) == kOwnerUid);
static_assert(offsetof(RawOwner, comm) == kOwnerComm);
static_assert(offsetof(RawOwner, ktime_ns) == kOwnerTime);
static_assert(offsetof(RawOwner, netns) == kOwnerNetns);
}  // namespace layout

}  // namespace sockeye::ebpf
