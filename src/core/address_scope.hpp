// Which kind of address range an address is in. Only public addresses are
// looked up in a geo database: the others are labelled by their range.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/ip_address.hpp"

namespace sockeye::core {

enum class AddressScope : std::uint8_t {
    public_,        // anything below does not match
    unspecified,    // 0.0.0.0/8, ::
    loopback,       // 127.0.0.0/8, ::1
    private_,       // RFC 1918, fc00::/7 (unique local)
    link_local,     // 169.254.0.0/16, fe80::/10
    documentation,  // 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20
    cgnat,          // 100.64.0.0/10 (shared address space)
    multicast,      // 224.0.0.0/4, ff00::/8
    reserved,       // 240.0.0.0/4 and the limited broadcast
};

// "private", "link-local"...: stable words for columns, JSON and filters.
std::string_view scope_name(AddressScope scope);

// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are classified as their IPv4 address.
AddressScope scope_of(const IpAddress& address);

// ::ffff:a.b.c.d as a.b.c.d; every other address unchanged.
IpAddress unmapped(const IpAddress& address);

}  // namespace sockeye::core
