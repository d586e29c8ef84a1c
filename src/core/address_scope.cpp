#include "core/address_scope.hpp"

namespace sockeye::core {

std::string_view scope_name(AddressScope scope) {
    switch (scope) {
        case AddressScope::public_: return "public";
        case AddressScope::unspecified: return "unspecified";
        case AddressScope::loopback: return "loopback";
        case AddressScope::private_: return "private";
        case AddressScope::link_local: return "link-local";
        case AddressScope::documentation: return "documentation";
        case AddressScope::cgnat: return "cgnat";
        case AddressScope::multicast: return "multicast";
        case AddressScope::reserved: return "reserved";
    }
    return "public";
}

IpAddress unmapped(const IpAddress& address) {
    if (!address.is_v6()) return address;
    const auto& b = address.bytes;
    for (int i = 0; i < 10; ++i) {
        if (b[static_cast<std::size_t>(i)] != 0) return address;
    }
    if (b[10] != 0xFF || b[11] != 0xFF) return address;
    return IpAddress::v4(std::span<const std::uint8_t>(b).subspan(12, 4));
}

namespace {

AddressScope scope_v4(const IpAddress& a) {
    const auto& b = a.bytes;
    if (b[0] == 0) return AddressScope::unspecified;
    if (b[0] == 127) return AddressScope::loopback;
    if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)) return AddressScope::private_;
    if (b[0] == 169 && b[1] == 254) return AddressScope::link_local;
    if ((b[0] == 192 && b[1] == 0 && b[2] == 2) || (b[0] == 198 && b[1] == 51 && b[2] == 100) ||
        (b[0] == 203 && b[1] == 0 && b[2] == 113)) {
        return AddressScope::documentation;
    }
    if (b[0] == 100 && (b[1] & 0xC0) == 64) return AddressScope::cgnat;
    if ((b[0] & 0xF0) == 224) return AddressScope::multicast;
    if ((b[0] & 0xF0) == 240) return AddressScope::reserved;
    return AddressScope::public_;
}

AddressScope scope_v6(const IpAddress& a) {
    const auto& b = a.bytes;
    bool zero_prefix = true;
    for (int i = 0; i < 15; ++i) zero_prefix = zero_prefix && b[static_cast<std::size_t>(i)] == 0;
    if (zero_prefix && b[15] == 0) return AddressScope::unspecified;
    if (zero_prefix && b[15] == 1) return AddressScope::loopback;
    if ((b[0] & 0xFE) == 0xFC) return AddressScope::private_;
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return AddressScope::link_local;
    if ((b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) || (b[0] == 0x3F && b[1] == 0xFF && (b[2] & 0xF0) == 0)) {
        return AddressScope::documentation;
    }
    if (b[0] == 0xFF) return AddressScope::multicast;
    return AddressScope::public_;
}

}  // namespace

AddressScope scope_of(const IpAddress& address) {
    const IpAddress a = unmapped(address);
    if (a.is_v4()) return scope_v4(a);
    if (a.is_v6()) return scope_v6(a);
    return AddressScope::unspecified;
}

}  // namespace sockeye::core
