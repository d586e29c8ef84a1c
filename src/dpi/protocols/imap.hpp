// IMAP4 (RFC 9051 / 3501): classified from the server greeting ("* OK",
// "* PREAUTH") or a tagged client command. Extracts the greeting, the
// capabilities it or a CAPABILITY response lists, STARTTLS ("offered" when
// listed, "requested" when the client sends it), the AUTH= mechanisms and the
// one the client picks with AUTHENTICATE.
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_imap(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info);

}  // namespace sockeye::dpi
