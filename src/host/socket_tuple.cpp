#include "host/socket_tuple.hpp"

#include <algorithm>

#include "core/tuple_hash.hpp"

namespace sockeye::host {

bool is_icmp(std::uint8_t ip_proto) { return ip_proto == kProtoIcmp || ip_proto == kProtoIcmpv6; }

bool is_attributable(std::uint8_t ip_proto, std::uint16_t local_port) {
    return ip_proto == kProtoTcp || ip_proto == kProtoUdp || (is_icmp(ip_proto) && local_port != 0);
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
