// WireGuard over UDP: the four message types with their reserved zero bytes
// and exact sizes (initiation 148, response 92, cookie reply 64, transport
// data 32 + 16n). Extracts the message type names seen and the initiator's and
// responder's session indexes (the sender/receiver index fields, attributed
// to the side that chose them).
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_wireguard(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                        snapshot::AppInfo& info);

}  // namespace sockeye::dpi
