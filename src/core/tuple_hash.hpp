// One hash for a socket's (protocol, local address and port, remote address
// and port): the attributor's socket index and the eBPF owner table both key
// by it. And one for an address alone, for every table keyed by address.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/ip_address.hpp"

namespace sockeye::core {

// 64-bit mix (splitmix64 finaliser): tuples differ in few bits (ports), so
// the hash must spread them over the whole word.
inline std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

inline std::uint64_t fold_address(std::uint64_t h, const IpAddress& a) {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        lo = (lo << 8) | a.bytes[i];
        hi = (hi << 8) | a.bytes[i + 8];
    }
    h = mix64(h ^ lo);
    return mix64(h ^ hi ^ static_cast<std::uint64_t>(a.family));
}

inline std::size_t hash_socket_tuple(std::uint8_t protocol, const IpAddress& local_ip,
                                     std::uint16_t local_port, const IpAddress& remote_ip,
                                     std::uint16_t remote_port) {
    std::uint64_t h = mix64((std::uint64_t{protocol} << 32) | (std::uint64_t{local_port} << 16) |
                            remote_port);
    h = fold_address(h, local_ip);
    h = fold_address(h, remote_ip);
    return static_cast<std::size_t>(h);
}

struct IpAddressHash {
    std::size_t operator()(const IpAddress& a) const {
        return static_cast<std::size_t>(fold_address(0, a));
    }
};

}  // namespace sockeye::core
