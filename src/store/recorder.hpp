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
#include "store/store_file.hpp"
#include "store/usage_minutes.hpp"

namespace sockeye::store {

class Recorder {
public:
    // Opens (creating) the store for recording: see open_for_recording().
    static core::Result<std::unique_ptr<Recorder>> open(const std::string& path);

    // One transaction; on failure nothing of it is kept.
    core::Result<void> write(std::span<const snapshot::FlowRecord> flows, bool attributed);

    [[nodiscard]] const std::string& path() const { return store_.db.path(); }
    // Open flows whose counts it keeps (tests).
    [[nodiscard]] std::size_t open_flows() const { return open_.size(); }

private:
    explicit Recorder(WritableStore store) : store_(std::move(store)) {}
    core::Result<void> write_rows(std::span<const snapshot::FlowRecord> flows, bool attributed);

    WritableStore store_;
    Statement upsert_;
    Statement usage_upsert_;
    std::unordered_map<snapshot::FlowId, UsageCounts, snapshot::FlowIdHash> open_;
    UsageBatch usage_;
};

}  // namespace sockeye::store
