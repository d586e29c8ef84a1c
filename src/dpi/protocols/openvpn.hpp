// OpenVPN over UDP, and over TCP with its 2-byte packet length: classified
// from the first control packet (a hard reset with key id 0) whose layout
// checks out for the plain, tls-auth or tls-crypt control channel. Extracts
// the opcode names seen (P_CONTROL_HARD_RESET_CLIENT_V2, P_DATA_V2, ...), the
// key id of the first packet and which control channel wrapping it uses.
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_openvpn(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                      snapshot::AppInfo& info);

}  // namespace sockeye::dpi
