// The one packet loop every mode runs. A Pipeline owns the engine and its
// packet thread; it reads the source, feeds the engine and the exports
// frame by frame, and takes snapshots at two fixed cadences: one for the
// exports (events and flow records within a second of the change, whatever
// the screen does) and one for whoever watches (the terminal UI's refresh,
// the plain table's interval). The front-ends in app/ only wire it up and
// show what it publishes.
//
//   Pipeline pipeline(source, engine_options, settings, enricher, exports);
//   (the sandbox goes here: every handle is open, no thread runs)
//   pipeline.set_sandbox_status(status);
//   pipeline.start();
//   ... watch pipeline.exchange(), or stop() from a signal handler ...
//   pipeline.join();
//   pipeline.final_snapshot();
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "capture/packet_source.hpp"
#include "pipeline/alerts.hpp"
#include "pipeline/engine.hpp"
#include "pipeline/paced_source.hpp"
#include "pipeline/snapshot_exchange.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::pipeline {

// What only the machine can add to a snapshot (processes, host names,
// interface counters). Called on the packet thread.
class Enricher {
public:
    virtual ~Enricher() = default;
    virtual void enrich(snapshot::Snapshot& snap, const Engine& engine) = 0;
    // The same for one flow streamed from Engine::for_each_flow() (enrich()
    // of a snapshot without flows did the rest). False: leave it out.
    virtual bool enrich_flow(snapshot::FlowRecord& flow, const Engine& engine) = 0;
};

// The exports a run feeds. Called on the packet thread only; writing
// happens on the exports' own threads, so none of this may block.
class Exports {
public:
    virtual ~Exports() = default;
    [[nodiscard]] virtual bool wants_frames() const = 0;
    // Right after engine.process(frame).
    virtual void on_frame(const core::RawFrame& frame, const Engine& engine) = 0;
    [[nodiscard]] virtual bool wants_snapshots() const = 0;
    // At the export cadence, enriched.
    virtual void on_snapshot(const snapshot::Snapshot& snap) = 0;
    // Every export keeps its per-flow state across snapshots and takes
    // deltas (Snapshot::delta): the per-second work then follows what
    // changed, not how many flows are open.
    [[nodiscard]] virtual bool accepts_deltas() const { return false; }
    // The last snapshot; drains and stops every writer. Idempotent.
    virtual void finish(const snapshot::Snapshot& snap) = 0;
    [[nodiscard]] virtual std::vector<snapshot::ExportCounters> counters() const = 0;
    // Each export's first write error, once.
    virtual std::vector<std::string> new_errors() = 0;
};

struct PipelineSettings {
    bool live = true;           // an interface (ticks by the wall clock), not a file
    std::uint64_t count = 0;    // stop after this many frames (-c); 0: no limit
    double duration_s = 0;      // stop after this long (-d), live or paced; 0: no limit
    double speed = 0;           // files: replay at the recorded pace times this; 0: at once
    // Exports get a snapshot this often (live or paced), whatever the
    // watchers' cadence is.
    std::chrono::milliseconds export_interval{1000};
    // Exports that accept deltas get a complete snapshot (a keyframe: flows
    // that vanished without an ended record are dropped then) every this
    // many export snapshots, and always as the last one; deltas between.
    // 1: every export snapshot is complete.
    unsigned keyframe_every = 30;
    // The exchange gets a snapshot this often (0: only the final one).
    std::chrono::milliseconds publish_interval{0};
    // After the capture ends, keep publishing until stop(): the terminal
    // UI is still open, and names and processes may still arrive.
    bool linger = false;
    // The final snapshot carries the flow records. Without them (JSON of a
    // million flows) the caller streams them from engine() after join(),
    // which needs no exports: they get the final snapshot.
    bool final_flows = true;
    // The [[alert]] rules, evaluated on every snapshot after the enricher
    // (null: none). Must outlive the pipeline; used on the packet thread.
    AlertEngine* alerts = nullptr;
    // Export write errors as they happen (null: they only show in the
    // snapshots' export counters). Called on the packet thread.
    std::function<void(const std::string&)> report_error;
};

class Pipeline {
public:
    // `enricher` and `exports` may be null and must outlive the pipeline.
    // No thread starts here.
    Pipeline(capture::PacketSource& source, EngineOptions engine_options,
             PipelineSettings settings, Enricher* enricher, Exports* exports);
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    // Shown in every snapshot from now on (call before start()).
    void set_sandbox_status(snapshot::SandboxStatus status) { sandbox_ = std::move(status); }

    void start();  // the packet thread
    // Any thread, and async-signal-safe: ends the capture loop soon (and
    // the lingering after it).
    void stop();
    void join();
    // The packet loop ran on the calling thread until it ended: the same
    // as start() + join() without lingering, for callers with nothing else
    // to do.
    void run();

    // Where published snapshots appear; finished() once the capture ended.
    [[nodiscard]] SnapshotExchange& exchange() { return exchange_; }
    // After the capture ended: its last snapshot (complete, with final
    // export counters), or null before.
    [[nodiscard]] std::shared_ptr<const snapshot::Snapshot> final_snapshot() const;
    // Why the capture failed (empty when it ended normally).
    [[nodiscard]] const std::string& error() const { return error_; }
    [[nodiscard]] const Engine& engine() const { return engine_; }

private:
    void loop();
    void capture_loop();
    void finish_capture();
    std::shared_ptr<snapshot::Snapshot> take_snapshot(bool complete, bool flows = true,
                                                      std::uint64_t ended_after = 0,
                                                      flow::ActiveSince active = {});
    // The exports' copy of a complete snapshot: the ended flows they had
    // already are left out.
    [[nodiscard]] std::shared_ptr<snapshot::Snapshot> export_view(snapshot::Snapshot& full) const;
    void hand_to_exports(snapshot::Snapshot& snap, std::uint64_t end_sequence);
    // The active flows the next export snapshot carries: all of them for a
    // keyframe, else those that changed since the previous one.
    [[nodiscard]] flow::ActiveSince export_scope() const;
    void report_export_errors();

    capture::PacketSource& source_;
    std::unique_ptr<PacedSource> paced_;  // files at their recorded pace
    PipelineSettings settings_;
    Enricher* enricher_;
    Exports* exports_;
    Engine engine_;
    SnapshotExchange exchange_;
    snapshot::SandboxStatus sandbox_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::string error_;
    // Set once the capture loop is over (packet thread; read after join()
    // or after exchange().finished()).
    bool ended_ = false;
    snapshot::CaptureState end_state_ = snapshot::CaptureState::running;
    std::string end_note_;
    capture::SourceStats final_stats_;
    std::shared_ptr<const snapshot::Snapshot> final_;
    // The exports follow flows from snapshot to snapshot and need each
    // ended flow once (connection events, IPFIX, the sidecar, the metrics
    // totals' last growth): their snapshots carry every active flow but only
    // the ended flows above this end_sequence, so the per-second work stays
    // flat while the history fills.
    std::uint64_t exported_ended_ = 0;
    // Packet time of the latest export snapshots, newest first (0: none
    // yet), and how many were deltas since the last keyframe.
    static constexpr std::size_t kExportCuts = 4;
    std::array<std::int64_t, kExportCuts> export_cuts_{};
    unsigned deltas_since_keyframe_ = 0;
    bool exported_any_ = false;
};

// Wall-clock time, for ticking a live engine between packets and stamping
// snapshots.
std::int64_t wall_clock_ns();

}  // namespace sockeye::pipeline
