// SMTP (RFC 5321): classified from the server's 220 banner (or its EHLO
// reply) or the client's EHLO/HELO. Extracts the banner, the client's
// EHLO/HELO name, STARTTLS ("offered" by the server or "requested" by the
// client), the AUTH mechanisms the server lists and the one the client picks.
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_smtp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info);

}  // namespace sockeye::dpi
