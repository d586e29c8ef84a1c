// STUN (RFC 5389 / 8489, with TURN methods of RFC 8656) over UDP or TCP:
// classified by the magic cookie, a zero top bit pair and a length that
// matches the message. Extracts the method ("Binding", "Allocate", ...), the
// class ("request", "indication", "success_response", "error_response"), the
// SOFTWARE attribute, XOR-MAPPED-ADDRESS ("ip:port") and ERROR-CODE.
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_stun(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info);

}  // namespace sockeye::dpi
