// One socket's owner as the kernel programs saw it, decoded from the map's
// raw key and value into sockeye's types.
#pragma once

#include <cstdint>
#include <string>

#include "core/ip_address.hpp"
#include "ebpf/record_layout.hpp"

namespace sockeye::ebpf {

struct OwnerRecord {
    std::uint8_t protocol = 0;  // 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6
    core::IpAddress local_ip;   // v4-mapped IPv6 addresses come out as IPv4
    std::uint16_t local_port = 0;
    core::IpAddress remote_ip;  // all-zero: the socket was not connected
    std::uint16_t remote_port = 0;
    std::uint32_t tgid = 0;
    std::uint32_t uid = 0;
    std::string comm;
    std::uint64_t ktime_ns = 0;
    std::uint32_t netns = 0;  // network namespace inode; 0: unknown
};

// False when the key's family is neither AF_INET nor AF_INET6.
bool decode_owner(const RawFlowKey& key, const RawOwner& value, OwnerRecord& out);

// ::ffff:a.b.c.d -> a.b.c.d; anything else unchanged.
core::IpAddress unmap_v4_address(const core::IpAddress& a);

}  // namespace sockeye::ebpf
