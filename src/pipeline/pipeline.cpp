#include "pipeline/pipeline.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <span>
#include <utility>

namespace sockeye::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

// "10 s", "2.5 s".
std::string format_seconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", seconds);
    return text;
}

}  // namespace

std::int64_t wall_clock_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Pipeline::Pipeline(capture::PacketSource& source, EngineOptions engine_options,
                   PipelineSettings settings, Enricher* enricher, Exports* exports)
    : source_(source), settings_(std::move(settings)), enricher_(enricher), exports_(exports),
      engine_(source.link_type(), std::move(engine_options)) {
    if (!settings_.live && settings_.speed > 0)
        paced_ = std::make_unique<PacedSource>(source, settings_.speed);
}

Pipeline::~Pipeline() {
    stop();
    join();
}

void Pipeline::start() {
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
}

void Pipeline::stop() {
    stop_.store(true);
    source_.interrupt();
    if (paced_) paced_->interrupt();
}

void Pipeline::join() {
    if (thread_.joinable()) thread_.join();
}

void Pipeline::run() {
    settings_.linger = false;
    loop();
}

std::shared_ptr<const snapshot::Snapshot> Pipeline::final_snapshot() const {
    return exchange_.finished() ? final_ : nullptr;
}

void Pipeline::loop() {
    capture_loop();
    finish_capture();
    // The capture is over but someone is still looking: keep publishing
    // (names and processes may still arrive) until stop().
    if (!settings_.linger || settings_.publish_interval.count() <= 0) return;
    auto next_publish = Clock::now() + settings_.publish_interval;
    while (!stop_.load(std::memory_order_relaxed)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (Clock::now() < next_publish) continue;
        exchange_.publish(take_snapshot(error_.empty()));
        next_publish = Clock::now() + settings_.publish_interval;
    }
}

void Pipeline::capture_loop() {
    capture::PacketSource& input = paced_ ? *paced_ : source_;
    // Files read as fast as they can have no cadence: their one snapshot
    // is the final one.
    const bool timed = settings_.live || paced_;
    const bool frames_wanted = exports_ != nullptr && exports_->wants_frames();
    const bool export_snapshots = exports_ != nullptr && exports_->wants_snapshots();
    const bool publishing = settings_.publish_interval.count() > 0;
    const auto started = Clock::now();
    const auto limit = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(settings_.duration_s));
    auto next_export = started + settings_.export_interval;
    // The first publication is at once, so a watcher has something to show.
    auto next_publish = started;
    std::uint64_t frames = 0;
    std::array<core::RawFrame, Engine::kBatch> batch;
    // Unless the loop says otherwise, it was stopped.
    end_state_ = snapshot::CaptureState::stopped;
    bool counted_out = false;
    while (!stop_.load(std::memory_order_relaxed)) {
        std::size_t n = 0;
        const auto status = input.next_batch(batch, n);
        if (status == capture::NextStatus::frame) {
            const std::span<const core::RawFrame> got(batch.data(), n);
            if (n > 1) engine_.prepare(got);
            for (std::size_t i = 0; i < n; ++i) {
                if (n > 1) {
                    engine_.process_prepared(i, got[i]);
                } else {
                    engine_.process(got[i]);
                }
                if (frames_wanted) exports_->on_frame(got[i], engine_);
                if (settings_.count != 0 && ++frames >= settings_.count) {
                    end_note_ = "after -c " + std::to_string(settings_.count) + " packets";
                    counted_out = true;
                    break;
                }
            }
            if (counted_out) break;
        } else if (status == capture::NextStatus::timeout) {
            engine_.tick(paced_ ? paced_->replay_time_ns() : wall_clock_ns());
        } else if (status == capture::NextStatus::end) {
            if (!settings_.live && !stop_.load()) end_state_ = snapshot::CaptureState::end_of_file;
            break;
        } else {
            error_ = source_.error();
            end_state_ = snapshot::CaptureState::failed;
            end_note_ = error_;
            break;
        }
        if (!timed) continue;
        const auto now = Clock::now();
        if (settings_.duration_s > 0 && now - started >= limit) {
            end_note_ = "after -d " + format_seconds(settings_.duration_s);
            break;
        }
        const bool export_due = export_snapshots && now >= next_export;
        const bool publish_due = publishing && now >= next_publish;
        if (!export_due && !publish_due) continue;
        const std::uint64_t end_sequence = engine_.end_sequence();
        if (!publish_due) {
            // Exports only: the ended flows they had already are not built,
            // nor, between keyframes, the active flows that did not change.
            auto snap = take_snapshot(true, true, exported_ended_, export_scope());
            hand_to_exports(*snap, end_sequence);
            next_export = now + settings_.export_interval;
            continue;
        }
        // Watchers see the whole history; one snapshot serves both when both
        // are due, the exports getting a filtered copy.
        auto snap = take_snapshot(true);
        if (export_due) {
            hand_to_exports(*export_view(*snap), end_sequence);
            snap->exports = exports_->counters();
            next_export = now + settings_.export_interval;
        }
        exchange_.publish(std::move(snap));
        next_publish = now + settings_.publish_interval;
    }
}

void Pipeline::finish_capture() {
    // From here on the counters stand still: the kernel would go on
    // counting drops on a handle nobody reads any more.
    final_stats_ = source_.stats();
    ended_ = true;
    const bool export_snapshots = exports_ != nullptr && exports_->wants_snapshots();
    auto last = take_snapshot(error_.empty(), settings_.final_flows || export_snapshots);
    if (exports_ != nullptr) {
        // Drains every writer: on SIGTERM the open flows still reach the
        // sidecar; the counters are then final.
        exports_->finish(export_snapshots ? *export_view(*last) : *last);
        last->exports = exports_->counters();
        report_export_errors();
    }
    final_ = last;
    exchange_.publish(std::move(last), true);
}

void Pipeline::hand_to_exports(snapshot::Snapshot& snap, std::uint64_t end_sequence) {
    exports_->on_snapshot(snap);
    exported_ended_ = end_sequence;
    std::move_backward(export_cuts_.begin(), export_cuts_.end() - 1, export_cuts_.end());
    export_cuts_[0] = snap.ts_ns;
    deltas_since_keyframe_ = snap.delta ? deltas_since_keyframe_ + 1 : 0;
    exported_any_ = true;
    report_export_errors();
}

flow::ActiveSince Pipeline::export_scope() const {
    if (!exports_->accepts_deltas() || !exported_any_ || settings_.keyframe_every <= 1 ||
        deltas_since_keyframe_ + 1 >= settings_.keyframe_every)
        return {};
    // A flow with a packet since the previous cut changed. A new flow is
    // offered in the four export snapshots after its first packet, packet
    // or not: its process may be found only after the first (attribution
    // answers asynchronously), and the connection events wait up to two
    // more snapshots for it (FlowEventTracker's deferrals). The cuts are
    // inclusive: a packet stamped at the cut but counted after it is not
    // missed (a flow seen then comes twice, which changes nothing).
    return {export_cuts_.front(), export_cuts_.back()};
}

std::shared_ptr<snapshot::Snapshot> Pipeline::export_view(snapshot::Snapshot& full) const {
    // Everything but the flows is copied as is; the flows are set aside
    // meanwhile so they are not copied twice.
    std::vector<snapshot::FlowRecord> flows = std::move(full.flows);
    full.flows.clear();
    auto view = std::make_shared<snapshot::Snapshot>(full);
    full.flows = std::move(flows);
    view->flows.reserve(full.flows.size());
    for (const auto& f : full.flows)
        if (f.end_sequence == 0 || f.end_sequence > exported_ended_) view->flows.push_back(f);
    return view;
}

std::shared_ptr<snapshot::Snapshot> Pipeline::take_snapshot(bool complete, bool flows,
                                                            std::uint64_t ended_after,
                                                            flow::ActiveSince active) {
    auto snap = std::make_shared<snapshot::Snapshot>(engine_.snapshot(flows, ended_after, active));
    snap->delta = flows && !active.all();
    snap->wall_ns = wall_clock_ns();
    snap->source.name = source_.name();
    snap->source.complete = complete;
    snap->source.live = settings_.live;
    if (ended_) {
        snap->source.state = end_state_;
        snap->source.state_note = end_note_;
    }
    const auto st = ended_ ? final_stats_ : source_.stats();
    snap->capture = {st.received, st.dropped, st.interface_dropped};
    if (enricher_ != nullptr) enricher_->enrich(*snap, engine_);
    if (settings_.alerts != nullptr) settings_.alerts->evaluate(*snap);
    snap->sandbox = sandbox_;
    if (exports_ != nullptr) snap->exports = exports_->counters();
    return snap;
}

void Pipeline::report_export_errors() {
    if (!settings_.report_error) return;
    for (const auto& e : exports_->new_errors()) settings_.report_error(e);
}

}  // namespace sockeye::pipeline
