// HTTP/1.x requests and responses, and the HTTP/2 prior-knowledge preface.
//
// HTTP fields: method, path, host (also the domain), user_agent, status,
// server. HTTP2: the connection preface only (what follows is binary frames).
#pragma once

#include <span>

#include "dpi/probe.hpp"

namespace sockeye::dpi {

Verdict probe_http(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info);
Verdict probe_http2(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                    snapshot::AppInfo& info);

}  // namespace sockeye::dpi
