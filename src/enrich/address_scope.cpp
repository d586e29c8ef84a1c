#include "enrich/address_scope.hpp"

#include <algorithm>
#include <cstdint>

namespace sockeye::enrich {
namespace {

AddressScope v4_scope(const core::IpAddress& a) {
    const std::uint8_t b0 = a.bytes[0];
    const std::uint8_t b1 = a.bytes[1];
    if (b0 == 0) return AddressScope::unspecified;
    if (b0 == 127) return AddressScope::loopback;
    if (b0 >= 224) return AddressScope::multicast;  // multicast, reserved, broadcast
    if (b0 == 169 && b1 == 254) return AddressScope::link_local;
    if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168) ||
        (b0 == 100 && (b1 & 0xc0) == 64))
        return AddressScope::private_use;
    return AddressScope::global;
}

AddressScope v6_scope(const core::IpAddress& a) {
    const auto& b = a.bytes;
    const bool first15_zero = std::all_of(b.begin(), b.begin() + 15, [](std::uint8_t x) { return x == 0; });
    if (first15_zero && b[15] == 0) return AddressScope::unspecified;
    if (first15_zero && b[15] == 1) return AddressScope::loopback;
    if (b[0] == 0xff) return AddressScope::multicast;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressScope::link_local;
    if ((b[0] & 0xfe) == 0xfc) return AddressScope::private_use;
    // IPv4-mapped (::ffff:a.b.c.d): the scope of the IPv4 address.
    const bool mapped = std::all_of(b.begin(), b.begin() + 10, [](std::uint8_t x) { return x == 0; }) &&
                        b[10] == 0xff && b[11] == 0xff;
    if (mapped) return v4_scope(core::IpAddress::v4(std::span<const std::uint8_t>(b.data() + 12, 4)));
    return AddressScope::global;
}

}  // namespace

AddressScope address_scope(const core::IpAddress& address) {
    switch (address.family) {
        case core::IpFamily::v4:
            return v4_scope(address);
        case core::IpFamily::v6:
            return v6_scope(address);
        case core::IpFamily::none:
            break;
    }
    return AddressScope::unspecified;
}

bool is_local_scope(AddressScope scope) {
    return scope == AddressScope::private_use || scope == AddressScope::loopback ||
           scope == AddressScope::link_local;
}

}  // namespace sockeye::enrich
