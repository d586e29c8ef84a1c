// SIP (RFC 3261) over UDP and TCP: a request line "METHOD sip:... SIP/2.0"
// or a status line "SIP/2.0 200 OK". Extracts the method or the status code
// and reason, From, To, Call-ID (long or compact header names), User-Agent
// and Server.
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_sip(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info);

}  // namespace sockeye::dpi
