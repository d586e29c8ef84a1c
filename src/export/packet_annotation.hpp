// What the engine knew about a frame's flow when it saw the frame: the
// packet exports write it beside the frame (a pcapng comment).
#pragma once

#include <cstdint>
#include <memory>

#include "core/ip_address.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::exports {

enum class PacketDirection : std::uint8_t { unknown, in, out };

// What the engine knew about a frame's flow when it saw the frame.
struct PacketAnnotation {
    bool has_flow = false;          // false: the frame belongs to no flow
    std::uint64_t flow_serial = 0;  // unique per flow
    std::uint8_t ip_proto = 0;
    // The flow record's endpoints (source = local side in live capture).
    core::IpAddress source_ip{}, destination_ip{};
    std::uint16_t source_port = 0, destination_port = 0;
    PacketDirection direction = PacketDirection::unknown;
    std::shared_ptr<const snapshot::AppInfo> app;
};

}  // namespace sockeye::exports
