// SSDP (UPnP device architecture 1.x) over UDP: "M-SEARCH * HTTP/1.1",
// "NOTIFY * HTTP/1.1" or a unicast "HTTP/1.1 200 OK" answer carrying ST/USN.
// Extracts the method ("M-SEARCH", "NOTIFY" or "response"), ST or NT, NTS,
// USN, SERVER, USER-AGENT and LOCATION.
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_ssdp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info);

}  // namespace sockeye::dpi
