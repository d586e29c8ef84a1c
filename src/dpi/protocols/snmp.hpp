// SNMP v1, v2c and v3 over UDP (RFC 1157, 3416, 3412): one BER message that
// fills the datagram exactly. Extracts the version ("1", "2c", "3"), the
// community (v1/v2c), the USM user name (v3) and the PDU type name
// ("get_request", "response", "trap", ...; "encrypted" for a v3 scoped PDU
// under privacy).
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_snmp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info);

}  // namespace sockeye::dpi
