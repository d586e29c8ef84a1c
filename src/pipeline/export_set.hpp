// The exports of a run as one list (app/export_table.cpp builds it, one row
// per option), fed by the pipeline on the packet thread: each frame to the
// packet exports with its flow's annotation, each export snapshot with the
// connection events found since the previous one (computed once, for all).
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "export/exporter.hpp"
#include "pipeline/flow_selection.hpp"
#include "pipeline/pipeline.hpp"

namespace sockeye::pipeline {

class ExportSet final : public Exports {
public:
    // `live`: frames get a direction (live flows are oriented local ->
    // remote; in files the source is only the initiator).
    explicit ExportSet(bool live) : live_(live) {}
    ~ExportSet() override;
    ExportSet(const ExportSet&) = delete;
    ExportSet& operator=(const ExportSet&) = delete;

    void add(std::unique_ptr<exports::Exporter> exporter);
    // --where: only the connections `selection` selects reach the exports,
    // frames and snapshots alike (see flow_selection.hpp). Null: all.
    void set_selection(std::unique_ptr<FlowSelection> selection) {
        selection_ = std::move(selection);
    }
    // After the sandbox: every export's threads that run before any record.
    void start();

    [[nodiscard]] bool empty() const { return exporters_.empty(); }
    // What the sandbox must leave open for all of them.
    [[nodiscard]] exports::ExportAccess access() const;
    // An export still serving after the capture ended (the metrics
    // server's address), or empty.
    [[nodiscard]] std::string serving_address() const;

    [[nodiscard]] bool wants_frames() const override { return !frame_exports_.empty(); }
    void on_frame(const core::RawFrame& frame, const Engine& engine) override;
    [[nodiscard]] bool wants_snapshots() const override { return !snapshot_exports_.empty(); }
    void on_snapshot(const snapshot::Snapshot& snap) override;
    // Every snapshot export takes deltas (the event tracker does).
    [[nodiscard]] bool accepts_deltas() const override { return accepts_deltas_; }
    void finish(const snapshot::Snapshot& snap) override;
    [[nodiscard]] std::vector<snapshot::ExportCounters> counters() const override;
    std::vector<std::string> new_errors() override;

private:
    // A frame kept while its flow's owner is looked up (--where that reads
    // the process), or queued behind one: its own copy of the bytes.
    struct HeldFrame {
        core::RawFrame frame;
        std::vector<std::uint8_t> bytes;
        std::string comment;
        exports::PacketAnnotation annotation;
        flow::FlowHandle handle;
        FlowSelection::Verdict verdict = FlowSelection::Verdict::wait;
    };
    // Frames above this many held bytes are decided at once.
    static constexpr std::size_t kMaxHeldBytes = 16 << 20;
    // A waiting frame's flow is asked again at most this often (packet time).
    static constexpr std::int64_t kRetryNs = 2'000'000;

    void feed(const snapshot::Snapshot& snap);
    void write_frame(const core::RawFrame& frame, const exports::PacketAnnotation& annotation);
    void hold(const core::RawFrame& frame, exports::PacketAnnotation annotation,
              const flow::FlowHandle& handle, FlowSelection::Verdict verdict);
    // Writes or drops the held frames whose flows are decided, in order;
    // `flush`: decide them all now.
    void release(const Engine& engine, std::int64_t now_ns, bool flush);

    bool live_;
    bool finished_ = false;
    bool wants_events_ = false;
    bool wants_annotations_ = false;
    bool accepts_deltas_ = false;
    std::vector<std::unique_ptr<exports::Exporter>> exporters_;
    std::vector<exports::Exporter*> frame_exports_;
    std::vector<exports::Exporter*> snapshot_exports_;
    exports::FlowEventTracker tracker_;
    std::unique_ptr<FlowSelection> selection_;
    std::uint64_t alerts_handed_ = 0;  // the sequence of the last alert handed out
    std::deque<HeldFrame> held_;
    std::size_t held_bytes_ = 0;
    std::int64_t last_retry_ns_ = 0;
    // The engine of the frames (valid while the pipeline runs, which is
    // until finish()): held frames are released at snapshots too.
    const Engine* engine_ = nullptr;
    std::vector<std::string> reported_;  // export names whose error was reported
};

}  // namespace sockeye::pipeline
