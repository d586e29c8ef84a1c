// Which part of the address space an address belongs to: the reverse
// resolver skips addresses no PTR record can exist for, and (if configured)
// private ones whose names only a LAN DNS server might know.
#pragma once

#include "core/ip_address.hpp"

namespace sockeye::enrich {

enum class AddressScope {
    global,
    private_use,  // RFC 1918, RFC 6598 shared space, IPv6 unique local (fc00::/7)
    loopback,     // 127/8, ::1
    link_local,   // 169.254/16, fe80::/10
    multicast,    // 224/4, ff00::/8, and 255.255.255.255
    unspecified,  // 0/8, ::, and family none
};

AddressScope address_scope(const core::IpAddress& address);

// True for private, loopback and link-local addresses.
bool is_local_scope(AddressScope scope);

}  // namespace sockeye::enrich
