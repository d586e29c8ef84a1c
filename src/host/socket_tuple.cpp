#include "host/socket_tuple.hpp"

#include <algorithm>

namespace sockeye::host {
namespace {

// 64-bit mix (splitmix64 finaliser): tuples differ in few bits (ports), so
// the hash must spread them over the whole word.
std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

std::uint64_t fold_address(std::uint64_t h, const core::IpAddress& a) {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        lo = (lo << 8) | a.bytes[i];
        hi = (hi << 8) | a.bytes[i + 8];
    }
    h = mix(h ^ lo);
    h = mix(h ^ hi ^ static_cast<std::uint64_t>(a.family));
    return h;
}

}  // namespace

std::size_t SocketTupleHash::operator()(const SocketTuple& t) const noexcept {
    std::uint64_t h = mix((std::uint64_t{t.ip_proto} << 32) |
                          (std::uint64_t{t.local_port} << 16) | t.remote_port);
    h = fold_address(h, t.local_ip);
    h = fold_address(h, t.remote_ip);
    return static_cast<std::size_t>(h);
}

core::IpAddress unmap_v4(const core::IpAddress& a) {
    if (!a.is_v6()) return a;
    const auto& b = a.bytes;
    const bool mapped = std::all_of(b.begin(), b.begin() + 10, [](std::uint8_t x) { return x == 0; }) &&
                        b[10] == 0xff && b[11] == 0xff;
    if (!mapped) return a;
    return core::IpAddress::v4(std::span<const std::uint8_t>(b.data() + 12, 4));
}

SocketTuple normalized(const SocketTuple& t) {
    SocketTuple out = t;
    out.local_ip = unmap_v4(t.local_ip);
    out.remote_ip = unmap_v4(t.remote_ip);
    return out;
}

bool is_any_address(const core::IpAddress& a) {
    if (a.family == core::IpFamily::none) return false;
    return std::all_of(a.bytes.begin(), a.bytes.end(), [](std::uint8_t x) { return x == 0; });
}

bool is_loopback(const core::IpAddress& a) {
    if (a.is_v4()) return a.bytes[0] == 127;
    if (!a.is_v6()) return false;
    for (std::size_t i = 0; i < 15; ++i) {
        if (a.bytes[i] != 0) return false;
    }
    return a.bytes[15] == 1;
}

}  // namespace sockeye::host
