// NTP (RFC 5905) over UDP: the 48-byte header with optional extension fields
// or MAC. Extracts version, mode ("client", "server", ...), stratum and the
// reference id (four ASCII characters for stratum 0/1, e.g. "GPS" or a
// kiss code; an IPv4 address or IPv6 hash for higher strata).
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_ntp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info);

}  // namespace sockeye::dpi
