// DHCP (RFC 2131/2132) over UDP: a BOOTP header with the DHCP magic cookie.
// Extracts the message type name ("DISCOVER", "ACK", ...), the client MAC
// (chaddr), hostname (option 12), requested IP (option 50) and vendor class
// (option 60).
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_dhcp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info);

}  // namespace sockeye::dpi
