// A flow's identity across snapshots: its tuple plus when it started (a
// reused tuple is a new flow). The selection follows this, not a row number.
#pragma once

#include <cstdint>

#include "core/ip_address.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::tui {

struct FlowId {
    snapshot::FlowProtocol protocol = snapshot::FlowProtocol::other;
    std::uint8_t ip_proto = 0;
    std::uint16_t vlan = 0;
    core::IpAddress source_ip{};
    core::IpAddress destination_ip{};
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    std::int64_t first_seen_ns = 0;

    friend bool operator==(const FlowId&, const FlowId&) = default;
};

inline FlowId flow_id(const snapshot::FlowRecord& f) {
    return {f.protocol,       f.ip_proto,    f.vlan,           f.source_ip,
            f.destination_ip, f.source_port, f.destination_port, f.first_seen_ns};
}

}  // namespace sockeye::tui
