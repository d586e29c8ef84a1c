// Which IPFIX records a run sends, and their values: sockeye's flows
// (snapshot::FlowRecord) become IpfixFlow records here.
//
//   - a flow that ends (connection_closed): one record with what it did
//     since its previous record, flowEndReason idle timeout, end of flow
//     (FIN/RST) or lack of resources (evicted at the table cap);
//   - a flow still open after `active_timeout` (60 s by default) since its
//     start or its previous record: a delta record, flowEndReason active
//     timeout, and the flow goes on (RFC 7011's "long-lived flows");
//   - at exit, every open flow: its last delta, flowEndReason forced end.
// Every record of a flow keeps the flow's real flowStartMilliseconds, so
// the collector can tell the pieces of one long flow apart from new flows.
// Non-IP flows (ARP) have no addresses to export and are skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "export/ipfix_encoder.hpp"
#include "snapshot/flow_id.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

// The record for a flow, counters as totals since the flow started.
// Nothing for flows without IP addresses.
std::optional<IpfixFlow> ipfix_flow_of(const snapshot::FlowRecord& flow, ipfix::EndReason reason);

// tcpControlBits: the flags sockeye's TCP state machine shows were seen
// (SYN, ACK, FIN, RST); the flow table does not keep PSH, URG, ECE, CWR.
std::uint16_t ipfix_tcp_flags_of(const snapshot::FlowRecord& flow);

// flowEndReason for a flow that ended.
ipfix::EndReason ipfix_end_reason_of(const snapshot::FlowRecord& flow);

// Remembers, per flow that already had a record, what it sent, so later
// records carry deltas. Owned by the thread that sees the snapshots.
class IpfixRecordTracker {
public:
    explicit IpfixRecordTracker(std::int64_t active_timeout_ns)
        : active_timeout_ns_(active_timeout_ns) {}

    // A flow that ended: its final record (nothing if it carries no new packets).
    std::optional<IpfixFlow> closed(const snapshot::FlowRecord& flow);
    // Active flows due for an active-timeout record at `snap`, in snapshot
    // order. For a delta (Snapshot::delta) that includes the flows it does
    // not carry: each open flow that owes a record (none yet, or packets
    // since its last) is remembered as last seen until its record is due.
    void due(const snapshot::Snapshot& snap, std::vector<IpfixFlow>& out);
    // An open flow at exit: its last record.
    std::optional<IpfixFlow> at_exit(const snapshot::FlowRecord& flow);
    // Flows with at least one record sent and still open.
    [[nodiscard]] std::size_t tracked() const { return sent_.size(); }
    // Open flows remembered until their active-timeout record is due.
    [[nodiscard]] std::size_t owed() const { return owed_.size(); }

private:
    using Key = snapshot::FlowId;
    using KeyHash = snapshot::FlowIdHash;
    struct Sent {
        std::uint64_t packets = 0, reverse_packets = 0;
        std::uint64_t octets = 0, reverse_octets = 0;
        std::int64_t at_ns = 0;  // snapshot time of the last record
    };
    static Key key_of(const snapshot::FlowRecord& f) { return snapshot::FlowId::of(f); }
    // The record minus what was sent before; nothing when no packet is new.
    std::optional<IpfixFlow> delta(const snapshot::FlowRecord& flow, ipfix::EndReason reason,
                                   bool keep, std::int64_t now_ns);

    // Whether `flow` would get a record if it were due now.
    [[nodiscard]] bool owes(const snapshot::FlowRecord& flow) const;

    std::int64_t active_timeout_ns_;
    std::unordered_map<Key, Sent, KeyHash> sent_;
    struct Owed {
        snapshot::FlowRecord flow;  // as last seen: nothing changed since
        std::int64_t due_ns = 0;
    };
    std::unordered_map<Key, Owed, KeyHash> owed_;
};

}  // namespace sockeye::exports
