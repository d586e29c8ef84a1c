// FTP control connection (RFC 959): classified from the server's 220 banner
// or the client's commands. Extracts the server banner, the reply codes the
// server sent, the commands the client issued (distinct verbs, bounded) and
// the USER argument.
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_ftp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info);

}  // namespace sockeye::dpi
