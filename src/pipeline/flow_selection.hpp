// Which connections the exports see (--where): a predicate over flow
// records (app/ compiles the filter language into it, so the pipeline needs
// neither the filter module nor what it links), applied once, in ExportSet,
// to every frame and export snapshot before any export has them.
//
// A connection is selected from the first moment it matches, by what is
// known of it then, and stays selected to its end: the exports then follow
// it whole (its closing event, its last IPFIX record, its final usage), and
// a pcap file and its sidecar list the same connections. What is known
// grows: DPI learns the SNI after the first packets, attribution the process
// a few milliseconds after the first one, and counters cross thresholds
// (bytes>10k). A frame is judged by its flow's state at that frame (packet
// exports cannot take frames back), so the frames before the match are not
// written. Export snapshots judge the flows they carry at their own time.
//
// A live flow whose process is still being looked up is not judged while
// the predicate reads the process (`not process:curl` would select every flow
// for its first few milliseconds): its frames are held (in order with the
// others) until the answer comes, kHoldNs at most; snapshots wait up to
// kProcessWaits of them, as the connection events do, then judge it as it
// is.
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pipeline/pipeline.hpp"
#include "snapshot/flow_id.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::pipeline {

class FlowSelection {
public:
    // True when the flow is wanted, with `age` and `idle` counted up to
    // `now_ns` (packet time).
    using Predicate = std::function<bool(const snapshot::FlowRecord& flow, std::int64_t now_ns)>;

    // `enricher` (may be null; must outlive this) completes the records of
    // frames' flows as a snapshot's would be (process, names, geo).
    // `reads_process`: the predicate looks at the flow's process.
    FlowSelection(Predicate matches, bool reads_process, Enricher* enricher);

    // The export snapshot's view: `snap` with only the selected flows.
    [[nodiscard]] snapshot::Snapshot view(const snapshot::Snapshot& snap);

    // What becomes of a frame: written, dropped, or held until its flow's
    // owner is known (ExportSet keeps such frames, and those after them,
    // for at most kHoldNs).
    enum class Verdict : std::uint8_t { write, drop, wait };
    // The frame engine.process() just accounted. Frames of no flow are
    // dropped.
    [[nodiscard]] Verdict judge_frame(const Engine& engine);
    // A held frame's flow again; `force`: decide now, owner known or not.
    // A flow that is gone by now is dropped.
    [[nodiscard]] Verdict judge_again(const Engine& engine, const flow::FlowHandle& handle, bool force);

    // How long a frame waits for its flow's owner at most (packet time):
    // attribution answers within milliseconds; this is also how long the
    // pcapng export waits for a packet's comment.
    static constexpr std::int64_t kHoldNs = 500'000'000;

    // A not-yet-selected flow's frames judge it again at most this often in
    // packet time (building and enriching its record costs more than the
    // frame), and at once when DPI learns something or a snapshot selected
    // flows meanwhile.
    static constexpr std::int64_t kRecheckNs = 100'000'000;
    static constexpr int kProcessWaits = 2;

    // How many flows are selected now (for tests).
    [[nodiscard]] std::size_t selected_count() const { return selected_.size(); }

private:
    struct SlotState {
        std::uint64_t serial = 0;
        bool selected = false;
        bool pending = false;  // its owner was being looked up at the last look
        std::int64_t next_check_ns = 0;
        const snapshot::AppInfo* app = nullptr;  // identity only, never read
        std::uint64_t epoch = 0;
    };

    [[nodiscard]] Verdict judge(const Engine& engine, const flow::FlowHandle& handle, bool force);
    void forget_unlisted(const snapshot::Snapshot& snap);

    Predicate matches_;
    bool reads_process_;
    Enricher* enricher_;
    std::unordered_set<snapshot::FlowId, snapshot::FlowIdHash> selected_;
    // Live flows with their process still pending: snapshots waited so far.
    std::unordered_map<snapshot::FlowId, int, snapshot::FlowIdHash> waiting_;
    // By flow-table slot (the serial tells a reused slot).
    std::vector<SlotState> slots_;
    // Bumped when a snapshot selects a flow: frames of unselected flows look
    // at the selection again.
    std::uint64_t epoch_ = 1;
};

}  // namespace sockeye::pipeline
