// Writes flows into a store: each call one transaction holding every flow's
// row (added, or updated while it is open) and the per-minute usage of what
// the flows moved since they were last written. Keeps, per open flow, the
// counts it last wrote: the usage of export deltas.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>

#include "core/result.hpp"
#include "snapshot/flow_id.hpp"
#include "snapshot/flow_record.hpp"
#include "store/flow_row.hpp"
#include "store/maintenance.hpp"
#include "store/store_file.hpp"
#include "store/usage_minutes.hpp"

namespace sockeye::store {

class Recorder {
public:
    // Opens (creating) the store for recording: see open_for_recording().
    static core::Result<std::unique_ptr<Recorder>> open(const std::string& path, Retention retention = {});

    // One transaction; on failure nothing of it is kept. `keyframe`: the
    // flows are (part of) a snapshot that lists every active flow.
    core::Result<void> write(std::span<const snapshot::FlowRecord> flows, bool attributed,
                             bool keyframe = false);
    // After the last write of a keyframe: forgets the open flows it did not
    // list. They ended unseen (the flow table's bounded history dropped
    // them between two export snapshots) and would otherwise be kept for
    // the rest of the run; their rows stay as last written.
    void end_keyframe();
    // One step of retention, size cap or roll-up (maintenance.hpp), timed
    // by the newest packet written so far. True: it did something, and there
    // may be more.
    core::Result<bool> maintain();
    // Copies the write-ahead log into the file and empties it: what the last
    // close would do, but a recorder that dropped root cannot stat the file
    // in a root-only directory, which SQLite takes for a moved file, and
    // then skips that checkpoint (the rows would stay in the -wal). Called
    // once the last write is done; best effort (a reader holding an old
    // snapshot can keep it from emptying the log).
    core::Result<void> checkpoint();

    [[nodiscard]] const std::string& path() const { return store_.db.path(); }
    // Open flows whose counts it keeps (tests).
    [[nodiscard]] std::size_t open_flows() const { return open_.size(); }

private:
    Recorder(WritableStore store, Retention retention) : store_(std::move(store)), maintenance_(retention) {}
    core::Result<void> write_rows(std::span<const snapshot::FlowRecord> flows, bool attributed);

    WritableStore store_;
    Statement upsert_;
    FlowTexts texts_;  // bind_flow()'s, alive until each step is done
    Statement usage_upsert_;
    Statement hour_upsert_;
    struct OpenFlow {
        UsageCounts written;     // the counts last committed
        std::uint64_t keyframe;  // the keyframe that last listed it
    };
    std::unordered_map<snapshot::FlowId, OpenFlow, snapshot::FlowIdHash> open_;
    std::uint64_t keyframe_ = 0;  // keyframes begun so far
    bool in_keyframe_ = false;
    UsageBatch usage_;
    Maintenance maintenance_;
    std::int64_t newest_ns_ = INT64_MIN;  // the latest last packet written
};

}  // namespace sockeye::store
