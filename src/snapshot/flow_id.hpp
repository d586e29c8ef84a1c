// The identity of one flow from snapshot to snapshot: its 5-tuple and VLAN
// plus what tells two flows on the same tuple apart (the flow table's
// generation, bumped on SYN reuse, and the first packet's time). Exports that
// follow flows across snapshots (connection events, IPFIX deltas, Prometheus
// totals) key their per-flow state by it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/ip_address.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::snapshot {

struct FlowId {
    std::uint8_t ip_proto = 0;
    std::uint16_t vlan = 0;
    core::IpAddress source_ip{}, destination_ip{};
    std::uint16_t source_port = 0, destination_port = 0;
    std::uint32_t generation = 0;
    std::int64_t first_seen_ns = 0;
    bool operator==(const FlowId&) const = default;

    static FlowId of(const FlowRecord& f);
    // Whether `f` is this flow, without building its id (the cheap fields
    // first: searching 100k flows for one is a refresh's work).
    [[nodiscard]] bool is(const FlowRecord& f) const {
        return f.source_port == source_port && f.destination_port == destination_port &&
               f.first_seen_ns == first_seen_ns && f.ip_proto == ip_proto && f.vlan == vlan &&
               f.generation == generation && f.source_ip == source_ip &&
               f.destination_ip == destination_ip;
    }
};

struct FlowIdHash {
    std::size_t operator()(const FlowId& id) const;
};

}  // namespace sockeye::snapshot
