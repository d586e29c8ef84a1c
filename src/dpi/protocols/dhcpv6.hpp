// DHCPv6 (RFC 8415) over UDP: a message type and transaction id followed by
// options that tile the datagram exactly and include a client or server
// DUID; relay messages are unwrapped one level. Extracts the message type
// name ("SOLICIT", "REPLY", ...), the client DUID (hex) and the Client FQDN
// option (RFC 4704) as a dotted name.
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_dhcpv6(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                     snapshot::AppInfo& info);

}  // namespace sockeye::dpi
