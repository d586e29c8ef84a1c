// POP3 (RFC 1939, STLS from RFC 2595): classified from the server's "+OK"
// greeting or POP3-only client commands (CAPA, STLS, APOP). Extracts the
// greeting, STARTTLS ("offered" when CAPA lists STLS, "requested" when the
// client sends it), the SASL mechanisms CAPA lists and the one AUTH picks.
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_pop3(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info);

}  // namespace sockeye::dpi
