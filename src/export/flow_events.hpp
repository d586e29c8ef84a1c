// Connection events, found by comparing successive snapshots: what the
// connection exports (json-log, the pcap sidecar, IPFIX) write.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "snapshot/flow_id.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

enum class FlowEventKind : std::uint8_t { opened, closed };

struct FlowEvent {
    FlowEventKind kind = FlowEventKind::opened;
    snapshot::FlowRecord flow;  // as of the snapshot the event was found in
};

// Diffs snapshot N-1 against N. Flows are told apart by their 5-tuple, VLAN,
// generation and first_seen, so a reused tuple is a new connection.
class FlowEventTracker {
public:
    // A new flow whose owner is still being looked up (attribution answers
    // within milliseconds, snapshots come every second) is announced up to
    // this many updates later, so its new_connection carries the process.
    explicit FlowEventTracker(int max_deferrals = 2) : max_deferrals_(max_deferrals) {}

    // Events since the previous call, opened ones first, each group in
    // snapshot order. A flow that both appeared and ended in between gets
    // both events. An open flow that vanished without being seen ended (it
    // fell off the bounded history) is closed as last seen, when a
    // complete snapshot lacks it: a delta (Snapshot::delta) carries only
    // the flows that changed, the others are taken as unchanged.
    std::vector<FlowEvent> update(const snapshot::Snapshot& snap);
    // Flows seen open and not yet closed.
    [[nodiscard]] std::size_t open_count() const { return open_.size(); }

private:
    std::vector<FlowEvent> update_complete(const snapshot::Snapshot& snap);
    std::vector<FlowEvent> update_delta(const snapshot::Snapshot& snap);

    using Key = snapshot::FlowId;
    using KeyHash = snapshot::FlowIdHash;
    static Key key_of(const snapshot::FlowRecord& f) { return snapshot::FlowId::of(f); }

    std::unordered_map<Key, snapshot::FlowRecord, KeyHash> open_;  // last record seen
    std::unordered_map<Key, bool, KeyHash> ended_;  // ended flows in the last snapshot
    std::unordered_map<Key, int, KeyHash> deferred_;  // new flows not announced yet: rounds waited
    int max_deferrals_;
};

}  // namespace sockeye::exports
