// MQTT 3.1, 3.1.1 and 5.0 over TCP: classified from the client's CONNECT
// (fixed header 0x10, protocol name "MQTT"/"MQIsdp" with a matching level and
// sane connect flags). Extracts the version, client_id, username, the topics
// of SUBSCRIBE and PUBLISH packets in either direction (distinct, bounded)
// and the CONNACK return code.
#pragma once

#include <cstdint>
#include <span>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

Verdict probe_mqtt(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info);

}  // namespace sockeye::dpi
