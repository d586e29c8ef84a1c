// One socket's view of a flow, local side first: what process attribution
// (host/) and the kernel's owner records (ebpf/) are both keyed by.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/ip_address.hpp"
#include "core/tuple_hash.hpp"

namespace sockeye::core {

struct SocketTuple {
    std::uint8_t ip_proto = 0;  // 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6
    IpAddress local_ip;
    std::uint16_t local_port = 0;  // ICMP echo: the identifier (both ports carry it)
    IpAddress remote_ip;
    std::uint16_t remote_port = 0;

    friend bool operator==(const SocketTuple&, const SocketTuple&) = default;
};

struct SocketTupleHash {
    std::size_t operator()(const SocketTuple& t) const noexcept {
        return hash_socket_tuple(t.ip_proto, t.local_ip, t.local_port, t.remote_ip, t.remote_port);
    }
};

}  // namespace sockeye::core
