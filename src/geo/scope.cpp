#include "geo/scope.hpp"

namespace sockeye::geo {

std::string_view scope_name(Scope scope) {
    switch (scope) {
        case Scope::public_: return "public";
        case Scope::unspecified: return "unspecified";
        case Scope::loopback: return "loopback";
        case Scope::private_: return "private";
        case Scope::link_local: return "link-local";
        case Scope::documentation: return "documentation";
        case Scope::cgnat: return "cgnat";
        case Scope::multicast: return "multicast";
        case Scope::reserved: return "reserved";
    }
    return "public";
}

core::IpAddress unmapped(const core::IpAddress& address) {
    if (!address.is_v6()) return address;
    const auto& b = address.bytes;
    for (int i = 0; i < 10; ++i) {
        if (b[static_cast<std::size_t>(i)] != 0) return address;
    }
    if (b[10] != 0xFF || b[11] != 0xFF) return address;
    return core::IpAddress::v4(std::span<const std::uint8_t>(b).subspan(12, 4));
}

namespace {

Scope scope_v4(const core::IpAddress& a) {
    const auto& b = a.bytes;
    if (b[0] == 0) return Scope::unspecified;
    if (b[0] == 127) return Scope::loopback;
    if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)) return Scope::private_;
    if (b[0] == 169 && b[1] == 254) return Scope::link_local;
    if ((b[0] == 192 && b[1] == 0 && b[2] == 2) || (b[0] == 198 && b[1] == 51 && b[2] == 100) ||
        (b[0] == 203 && b[1] == 0 && b[2] == 113)) {
        return Scope::documentation;
    }
    if (b[0] == 100 && (b[1] & 0xC0) == 64) return Scope::cgnat;
    if ((b[0] & 0xF0) == 224) return Scope::multicast;
    if ((b[0] & 0xF0) == 240) return Scope::reserved;
    return Scope::public_;
}

Scope scope_v6(const core::IpAddress& a) {
    const auto& b = a.bytes;
    bool zero_prefix = true;
    for (int i = 0; i < 15; ++i) zero_prefix = zero_prefix && b[static_cast<std::size_t>(i)] == 0;
    if (zero_prefix && b[15] == 0) return Scope::unspecified;
    if (zero_prefix && b[15] == 1) return Scope::loopback;
    if ((b[0] & 0xFE) == 0xFC) return Scope::private_;
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return Scope::link_local;
    if ((b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) || (b[0] == 0x3F && b[1] == 0xFF && (b[2] & 0xF0) == 0)) {
        return Scope::documentation;
    }
    if (b[0] == 0xFF) return Scope::multicast;
    return Scope::public_;
}

}  // namespace

Scope scope_of(const core::IpAddress& address) {
    const core::IpAddress a = unmapped(address);
    if (a.is_v4()) return scope_v4(a);
    if (a.is_v6()) return scope_v6(a);
    return Scope::unspecified;
}

}  // namespace sockeye::geo
