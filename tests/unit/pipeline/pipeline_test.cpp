#include "pipeline/pipeline.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace sockeye::pipeline {
namespace {

using namespace std::chrono_literals;

// A source scripted by the test: `frames` one-byte frames, then either the
// end, an error, or (live) read timeouts every 2 ms until interrupted.
class ScriptedSource final : public capture::PacketSource {
public:
    enum class After { end, error, timeouts };
    ScriptedSource(std::uint64_t frames, After after) : frames_(frames), after_(after) {}

    capture::NextStatus next(core::RawFrame& out) override {
        if (interrupted_.load()) return capture::NextStatus::end;
        if (served_ < frames_) {
            ++served_;
            out.ts_ns = 1'000'000'000 + static_cast<std::int64_t>(served_) * 1'000;
            out.wire_len = 1;
            out.bytes = {&byte_, 1};
            return capture::NextStatus::frame;
        }
        if (after_ == After::end) return capture::NextStatus::end;
        if (after_ == After::error) return capture::NextStatus::error;
        std::this_thread::sleep_for(2ms);
        return capture::NextStatus::timeout;
    }
    [[nodiscard]] int link_type() const override { return 1; }
    [[nodiscard]] capture::SourceStats stats() const override { return {served_, 0, 0}; }
    [[nodiscard]] const std::string& error() const override { return error_; }
    [[nodiscard]] const std::string& name() const override { return name_; }
    void interrupt() override { interrupted_.store(true); }

private:
    std::uint64_t frames_;
    After after_;
    std::atomic<std::uint64_t> served_{0};
    std::atomic<bool> interrupted_{false};
    std::uint8_t byte_ = 0;
    std::string error_ = "truncated record";
    std::string name_ = "scripted";
};

// Counts what the pipeline hands to the exports.
class CountingExports final : public Exports {
public:
    [[nodiscard]] bool wants_frames() const override { return true; }
    void on_frame(const core::RawFrame&, const Engine&) override { ++frames; }
    [[nodiscard]] bool wants_snapshots() const override { return true; }
    void on_snapshot(const snapshot::Snapshot&) override { ++snapshots; }
    void finish(const snapshot::Snapshot&) override { ++finished; }
    [[nodiscard]] std::vector<snapshot::ExportCounters> counters() const override {
        snapshot::ExportCounters c;
        c.name = "counting";
        c.written = static_cast<std::uint64_t>(snapshots.load());
        return {c};
    }
    std::vector<std::string> new_errors() override {
        if (error_reported) return {};
        error_reported = true;
        return {"counting export stopped: disk full"};
    }

    std::atomic<int> frames{0};
    std::atomic<int> snapshots{0};
    std::atomic<int> finished{0};
    bool error_reported = false;
};

std::uint64_t published(SnapshotExchange& exchange) {
    std::uint64_t seen = 0;
    exchange.take_newer(seen);
    return seen;
}

TEST(Pipeline, ExportCadenceDoesNotFollowThePublishInterval) {
    ScriptedSource source(0, ScriptedSource::After::timeouts);
    CountingExports exports;
    PipelineSettings settings;
    settings.export_interval = 100ms;
    settings.publish_interval = 60s;  // a UI refreshing once a minute
    Pipeline pipeline(source, EngineOptions{}, settings, nullptr, &exports);
    pipeline.start();
    std::this_thread::sleep_for(550ms);
    pipeline.stop();
    pipeline.join();
    // About five export snapshots in 550 ms, whatever the watcher's cadence.
    EXPECT_GE(exports.snapshots.load(), 2);
    EXPECT_LE(exports.snapshots.load(), 6);
    EXPECT_EQ(exports.finished.load(), 1);
    // The watcher got the first snapshot at once and the final one.
    EXPECT_EQ(published(pipeline.exchange()), 2u);
}

TEST(Pipeline, CountLimitEndsTheCaptureAsStopped) {
    ScriptedSource source(100, ScriptedSource::After::timeouts);
    CountingExports exports;
    PipelineSettings settings;
    settings.count = 5;
    Pipeline pipeline(source, EngineOptions{}, settings, nullptr, &exports);
    pipeline.start();
    pipeline.join();
    const auto last = pipeline.final_snapshot();
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(exports.frames.load(), 5);
    EXPECT_EQ(last->source.state, snapshot::CaptureState::stopped);
    EXPECT_EQ(last->source.state_note, "after -c 5 packets");
    EXPECT_EQ(last->capture.received, 5u);
    EXPECT_TRUE(last->source.complete);
    EXPECT_TRUE(last->source.live);
}

TEST(Pipeline, FileEndAndFileErrorAreTold) {
    {
        ScriptedSource source(3, ScriptedSource::After::end);
        PipelineSettings settings;
        settings.live = false;
        Pipeline pipeline(source, EngineOptions{}, settings, nullptr, nullptr);
        pipeline.run();
        const auto last = pipeline.final_snapshot();
        ASSERT_NE(last, nullptr);
        EXPECT_EQ(last->source.state, snapshot::CaptureState::end_of_file);
        EXPECT_TRUE(last->source.complete);
        EXPECT_TRUE(pipeline.error().empty());
    }
    {
        ScriptedSource source(3, ScriptedSource::After::error);
        PipelineSettings settings;
        settings.live = false;
        Pipeline pipeline(source, EngineOptions{}, settings, nullptr, nullptr);
        pipeline.run();
        const auto last = pipeline.final_snapshot();
        ASSERT_NE(last, nullptr);
        EXPECT_EQ(last->source.state, snapshot::CaptureState::failed);
        EXPECT_EQ(last->source.state_note, "truncated record");
        EXPECT_FALSE(last->source.complete);
        EXPECT_EQ(pipeline.error(), "truncated record");
    }
}

TEST(Pipeline, FinalSnapshotCarriesTheExportCountersAfterFinish) {
    ScriptedSource source(2, ScriptedSource::After::end);
    CountingExports exports;
    std::vector<std::string> reported;
    PipelineSettings settings;
    settings.live = false;
    settings.report_error = [&reported](const std::string& e) { reported.push_back(e); };
    Pipeline pipeline(source, EngineOptions{}, settings, nullptr, &exports);
    EXPECT_EQ(pipeline.final_snapshot(), nullptr);  // not before the end
    pipeline.run();
    const auto last = pipeline.final_snapshot();
    ASSERT_NE(last, nullptr);
    ASSERT_EQ(last->exports.size(), 1u);
    EXPECT_EQ(last->exports[0].name, "counting");
    EXPECT_EQ(exports.finished.load(), 1);
    // A file read at once has no cadence: its only snapshot is the last.
    EXPECT_EQ(exports.snapshots.load(), 0);
    ASSERT_EQ(reported.size(), 1u);
    EXPECT_EQ(reported[0], "counting export stopped: disk full");
}

TEST(Pipeline, LingersAfterTheEndUntilStopped) {
    ScriptedSource source(1, ScriptedSource::After::end);
    PipelineSettings settings;
    settings.live = false;
    settings.publish_interval = 60ms;
    settings.linger = true;
    Pipeline pipeline(source, EngineOptions{}, settings, nullptr, nullptr);
    pipeline.start();
    std::uint64_t seen = 0;
    // The final snapshot, then at least one more while the UI stays open.
    for (int i = 0; i < 100 && !pipeline.exchange().finished(); ++i) std::this_thread::sleep_for(5ms);
    ASSERT_TRUE(pipeline.exchange().finished());
    pipeline.exchange().take_newer(seen);
    EXPECT_NE(pipeline.exchange().wait_newer(seen, 2s), nullptr);
    pipeline.stop();
    pipeline.join();
    EXPECT_EQ(pipeline.final_snapshot()->source.state, snapshot::CaptureState::end_of_file);
}

TEST(Pipeline, StopFromAnotherThreadEndsALiveCapture) {
    ScriptedSource source(10, ScriptedSource::After::timeouts);
    Pipeline pipeline(source, EngineOptions{}, PipelineSettings{}, nullptr, nullptr);
    pipeline.start();
    std::this_thread::sleep_for(30ms);
    pipeline.stop();
    pipeline.join();
    const auto last = pipeline.final_snapshot();
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(last->source.state, snapshot::CaptureState::stopped);
    EXPECT_TRUE(last->source.state_note.empty());
}

// Counts the snapshots it enriches: each one cost a walk over every flow.
class CountingEnricher final : public Enricher {
public:
    void enrich(snapshot::Snapshot&, const Engine&) override { ++snapshots; }
    bool enrich_flow(snapshot::FlowRecord&, const Engine&) override { return true; }
    std::atomic<int> snapshots{0};
};

// Only packet exports (or none) and no watcher: a live capture takes no
// per-second snapshot, only the final one.
TEST(Pipeline, NothingListeningTakesNoSnapshotUntilTheEnd) {
    class FramesOnly final : public Exports {
    public:
        [[nodiscard]] bool wants_frames() const override { return true; }
        void on_frame(const core::RawFrame&, const Engine&) override {}
        [[nodiscard]] bool wants_snapshots() const override { return false; }
        void on_snapshot(const snapshot::Snapshot&) override { ++snapshots; }
        void finish(const snapshot::Snapshot&) override {}
        [[nodiscard]] std::vector<snapshot::ExportCounters> counters() const override { return {}; }
        std::vector<std::string> new_errors() override { return {}; }
        int snapshots = 0;
    };
    for (const bool with_exports : {false, true}) {
        ScriptedSource source(100, ScriptedSource::After::timeouts);
        CountingEnricher enricher;
        FramesOnly exports;
        PipelineSettings settings;
        settings.export_interval = 20ms;
        Pipeline pipeline(source, EngineOptions{}, settings, &enricher,
                          with_exports ? &exports : nullptr);
        pipeline.start();
        std::this_thread::sleep_for(200ms);  // ten export intervals
        EXPECT_EQ(enricher.snapshots.load(), 0) << "with exports: " << with_exports;
        pipeline.stop();
        pipeline.join();
        EXPECT_EQ(enricher.snapshots.load(), 1) << "with exports: " << with_exports;
        EXPECT_EQ(exports.snapshots, 0);
    }
}

// A live source of Ethernet/IPv4/UDP frames, one new flow per frame (the
// source port counts up), a few milliseconds apart, then read timeouts.
class NewFlowSource final : public capture::PacketSource {
public:
    explicit NewFlowSource(std::uint16_t flows) : flows_(flows) {
        const std::uint8_t header[] = {
            0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,        // Ethernet
            0x45, 0, 0, 28, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1,  // IPv4
            10, 0, 0, 2,                                                 //
            0, 0, 0, 53, 0, 8, 0, 0};                                    // UDP
        std::copy(std::begin(header), std::end(header), frame_.begin());
    }

    capture::NextStatus next(core::RawFrame& out) override {
        if (interrupted_.load()) return capture::NextStatus::end;
        std::this_thread::sleep_for(3ms);
        if (served_ >= flows_) return capture::NextStatus::timeout;
        ++served_;
        frame_[34] = static_cast<std::uint8_t>(served_ >> 8U);
        frame_[35] = static_cast<std::uint8_t>(served_ & 0xFFU);
        // Live: the engine ticks by the wall clock between frames.
        out.ts_ns = wall_clock_ns();
        out.wire_len = static_cast<std::uint32_t>(frame_.size());
        out.bytes = frame_;
        return capture::NextStatus::frame;
    }
    [[nodiscard]] int link_type() const override { return 1; }
    [[nodiscard]] capture::SourceStats stats() const override { return {served_, 0, 0}; }
    [[nodiscard]] const std::string& error() const override { return error_; }
    [[nodiscard]] const std::string& name() const override { return name_; }
    void interrupt() override { interrupted_.store(true); }
    [[nodiscard]] bool done() const { return served_ >= flows_; }

private:
    std::uint16_t flows_;
    std::atomic<std::uint16_t> served_{0};
    std::atomic<bool> interrupted_{false};
    std::array<std::uint8_t, 42> frame_{};
    std::string error_;
    std::string name_ = "new flows";
};

// Which ended flows (by end_sequence) each export snapshot carried.
class EndedFlowsSeen final : public Exports {
public:
    [[nodiscard]] bool wants_frames() const override { return false; }
    void on_frame(const core::RawFrame&, const Engine&) override {}
    [[nodiscard]] bool wants_snapshots() const override { return true; }
    void on_snapshot(const snapshot::Snapshot& snap) override { record(snap); }
    void finish(const snapshot::Snapshot& snap) override { record(snap); }
    [[nodiscard]] std::vector<snapshot::ExportCounters> counters() const override { return {}; }
    std::vector<std::string> new_errors() override { return {}; }

    std::vector<std::uint64_t> ended;  // every end_sequence handed over, in order
    int snapshots = 0;
    int without_active = 0;  // snapshots that lacked the active flow

private:
    void record(const snapshot::Snapshot& snap) {
        ++snapshots;
        bool active = false;
        for (const auto& f : snap.flows) {
            if (f.end_reason == snapshot::EndReason::active) active = true;
            else ended.push_back(f.end_sequence);
        }
        if (!active && !snap.flows.empty()) ++without_active;
    }
};

// The exports follow flows from snapshot to snapshot: each ended flow
// reaches them once (the per-second work stays flat as the history
// fills), while a watcher's snapshots still list the whole history.
TEST(Pipeline, ExportsGetEachEndedFlowOnceWatchersTheWholeHistory) {
    constexpr std::uint16_t kFlows = 60;
    for (const auto publish : {0ms, 20ms, 35ms}) {
        NewFlowSource source(kFlows);
        EndedFlowsSeen exports;
        EngineOptions options;
        options.flows.max_active_flows = 1;  // every new flow ends the one before
        PipelineSettings settings;
        settings.export_interval = 20ms;
        settings.publish_interval = publish;
        Pipeline pipeline(source, std::move(options), settings, nullptr, &exports);
        pipeline.start();
        for (int i = 0; i < 500 && !source.done(); ++i) std::this_thread::sleep_for(5ms);
        ASSERT_TRUE(source.done());
        std::this_thread::sleep_for(100ms);
        if (publish.count() > 0) {
            // A watcher's snapshot taken after the last flow began.
            std::uint64_t seen = 0;
            const auto newest = pipeline.exchange().take_newer(seen);
            ASSERT_TRUE(newest);
            EXPECT_EQ(newest->flows.size(), std::size_t{kFlows});  // 1 active + 59 ended
        }
        pipeline.stop();
        pipeline.join();
        const std::string what = "publish every " + std::to_string(publish.count()) + " ms";
        EXPECT_GE(exports.snapshots, 5) << what;
        EXPECT_EQ(exports.without_active, 0) << what;
        std::vector<std::uint64_t> ended = exports.ended;
        std::sort(ended.begin(), ended.end());
        ASSERT_EQ(ended.size(), kFlows - 1U) << what;
        for (std::size_t i = 0; i < ended.size(); ++i) EXPECT_EQ(ended[i], i + 1) << what;
        const auto last = pipeline.final_snapshot();
        ASSERT_TRUE(last);
        EXPECT_EQ(last->flows.size(), std::size_t{kFlows}) << what;  // 1 active + 59 ended
    }
}

// What each export snapshot carried, for exports that take deltas or not.
class DeltasSeen final : public Exports {
public:
    explicit DeltasSeen(bool accepts) : accepts_(accepts) {}
    [[nodiscard]] bool wants_frames() const override { return false; }
    void on_frame(const core::RawFrame&, const Engine&) override {}
    [[nodiscard]] bool wants_snapshots() const override { return true; }
    [[nodiscard]] bool accepts_deltas() const override { return accepts_; }
    void on_snapshot(const snapshot::Snapshot& snap) override { snaps.push_back(seen(snap)); }
    void finish(const snapshot::Snapshot& snap) override { last = seen(snap); }
    [[nodiscard]] std::vector<snapshot::ExportCounters> counters() const override { return {}; }
    std::vector<std::string> new_errors() override { return {}; }

    struct Seen {
        bool delta = false;
        std::uint64_t table_active = 0;      // counters.active_flows
        std::vector<std::uint16_t> ports;    // active flows carried
    };
    std::vector<Seen> snaps;
    Seen last;

private:
    static Seen seen(const snapshot::Snapshot& snap) {
        Seen s{snap.delta, snap.counters.active_flows, {}};
        for (const auto& f : snap.flows)
            if (f.end_reason == snapshot::EndReason::active) s.ports.push_back(f.source_port);
        return s;
    }
    bool accepts_;
};

// Exports that take deltas get the flows that changed, a keyframe (every
// active flow) every keyframe_every snapshots and as the last one; a new
// flow is offered in the first four snapshots after it began, packet or
// not (its process may come later). Exports that do not get every flow.
TEST(Pipeline, ExportDeltasCarryWhatChangedAndKeyframesEverything) {
    constexpr std::uint16_t kFlows = 30;
    for (const bool accepts : {true, false}) {
        NewFlowSource source(kFlows);
        DeltasSeen exports(accepts);
        PipelineSettings settings;
        settings.export_interval = 20ms;
        settings.keyframe_every = 5;
        Pipeline pipeline(source, EngineOptions{}, settings, nullptr, &exports);
        pipeline.start();
        for (int i = 0; i < 500 && !source.done(); ++i) std::this_thread::sleep_for(5ms);
        ASSERT_TRUE(source.done());
        std::this_thread::sleep_for(400ms);  // twenty export intervals without packets
        pipeline.stop();
        pipeline.join();
        const std::string what = accepts ? "accepts deltas" : "complete snapshots";
        ASSERT_GE(exports.snaps.size(), 12U) << what;
        EXPECT_FALSE(exports.last.delta) << what;
        EXPECT_EQ(exports.last.ports.size(), std::size_t{kFlows}) << what;
        EXPECT_FALSE(exports.snaps.front().delta) << what;
        int deltas = 0, quiet_deltas = 0, in_a_row = 0;
        for (const auto& s : exports.snaps) {
            if (!s.delta) {
                // A keyframe: every active flow of the table.
                EXPECT_EQ(s.ports.size(), s.table_active) << what;
                in_a_row = 0;
                continue;
            }
            ++deltas;
            // The cut is inclusive: the flow of the last packet before it
            // comes again, however quiet the link.
            if (s.ports.size() <= 1) ++quiet_deltas;
            EXPECT_LT(++in_a_row, 5) << what;
        }
        if (!accepts) {
            EXPECT_EQ(deltas, 0) << what;
            continue;
        }
        EXPECT_GT(deltas, 8) << what;
        EXPECT_GT(quiet_deltas, 4) << what;  // nothing changed, (almost) nothing carried
        // Every flow in the four snapshots from its first on (or all there were).
        for (std::uint16_t port = 1; port <= kFlows; ++port) {
            std::size_t first = exports.snaps.size();
            int carried = 0;
            for (std::size_t i = 0; i < exports.snaps.size(); ++i) {
                const auto& ports = exports.snaps[i].ports;
                if (std::find(ports.begin(), ports.end(), port) == ports.end()) continue;
                first = std::min(first, i);
                if (i < first + 4) ++carried;
            }
            ASSERT_LT(first, exports.snaps.size()) << "port " << port;
            EXPECT_EQ(carried, static_cast<int>(std::min<std::size_t>(4, exports.snaps.size() - first)))
                << "port " << port;
        }
    }
}

}  // namespace
}  // namespace sockeye::pipeline
