#include "pipeline/export_set.hpp"

#include <algorithm>
#include <utility>

namespace sockeye::pipeline {
namespace {

exports::PacketAnnotation annotate(const Engine& engine, bool live) {
    exports::PacketAnnotation a;
    const flow::FlowHandle& handle = engine.last_flow();
    FlowAnnotation flow;
    if (!engine.flow_annotation(handle, flow)) return a;
    a.has_flow = true;
    a.flow_serial = handle.serial;
    a.ip_proto = flow.endpoints.ip_proto;
    a.source_ip = flow.endpoints.source_ip;
    a.destination_ip = flow.endpoints.destination_ip;
    a.source_port = flow.endpoints.source_port;
    a.destination_port = flow.endpoints.destination_port;
    if (live) a.direction = handle.from_source ? exports::PacketDirection::out
                                               : exports::PacketDirection::in;
    a.app = std::move(flow.app);
    return a;
}

void add_unique(std::vector<std::uint16_t>& ports, std::uint16_t port) {
    if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
}

}  // namespace

ExportSet::~ExportSet() {
    // finish() did not run (a start-up error): stop the writers, with no
    // events and no flows.
    if (finished_) return;
    finished_ = true;
    const snapshot::Snapshot nothing;
    for (auto& e : exporters_) e->finish(nothing);
}

void ExportSet::add(std::unique_ptr<exports::Exporter> exporter) {
    if (exporter->wants_frames()) frame_exports_.push_back(exporter.get());
    if (exporter->wants_snapshots()) snapshot_exports_.push_back(exporter.get());
    wants_events_ = wants_events_ || exporter->wants_events();
    wants_annotations_ = wants_annotations_ || exporter->wants_annotations();
    accepts_deltas_ = std::all_of(snapshot_exports_.begin(), snapshot_exports_.end(),
                                  [](const auto* e) { return e->accepts_deltas(); });
    exporters_.push_back(std::move(exporter));
}

void ExportSet::start() {
    for (auto& e : exporters_) e->start();
}

exports::ExportAccess ExportSet::access() const {
    exports::ExportAccess all;
    for (const auto& e : exporters_) {
        auto a = e->access();
        for (auto& path : a.write_paths) all.write_paths.push_back(std::move(path));
        for (const auto port : a.tcp_connect_ports) add_unique(all.tcp_connect_ports, port);
    }
    return all;
}

std::string ExportSet::serving_address() const {
    for (const auto& e : exporters_)
        if (auto address = e->serving_address(); !address.empty()) return address;
    return {};
}

void ExportSet::write_frame(const core::RawFrame& frame, const exports::PacketAnnotation& annotation) {
    for (auto* e : frame_exports_) e->on_frame(frame, annotation);
}

void ExportSet::on_frame(const core::RawFrame& frame, const Engine& engine) {
    if (!selection_) {
        write_frame(frame, wants_annotations_ ? annotate(engine, live_) : exports::PacketAnnotation{});
        return;
    }
    engine_ = &engine;
    const FlowSelection::Verdict verdict = selection_->judge_frame(engine);
    if (verdict != FlowSelection::Verdict::drop) {
        exports::PacketAnnotation annotation =
            wants_annotations_ ? annotate(engine, live_) : exports::PacketAnnotation{};
        if (verdict == FlowSelection::Verdict::write && held_.empty()) {
            write_frame(frame, annotation);
            return;
        }
        hold(frame, std::move(annotation), engine.last_flow(), verdict);
    }
    if (!held_.empty()) release(engine, frame.ts_ns, false);
}

void ExportSet::hold(const core::RawFrame& frame, exports::PacketAnnotation annotation,
                     const flow::FlowHandle& handle, FlowSelection::Verdict verdict) {
    HeldFrame& h = held_.emplace_back();
    h.frame = frame;
    h.bytes.assign(frame.bytes.begin(), frame.bytes.end());
    h.comment = std::string(frame.comment);
    h.frame.bytes = h.bytes;
    h.frame.comment = h.comment;
    h.annotation = std::move(annotation);
    h.handle = handle;
    h.verdict = verdict;
    held_bytes_ += h.bytes.size();
}

void ExportSet::release(const Engine& engine, std::int64_t now_ns, bool flush) {
    while (!held_.empty()) {
        HeldFrame& h = held_.front();
        if (h.verdict == FlowSelection::Verdict::wait) {
            const bool expired = flush || now_ns - h.frame.ts_ns >= FlowSelection::kHoldNs ||
                                 held_bytes_ > kMaxHeldBytes;
            if (!expired && now_ns - last_retry_ns_ < kRetryNs) break;
            last_retry_ns_ = now_ns;
            h.verdict = selection_->judge_again(engine, h.handle, expired);
            if (h.verdict == FlowSelection::Verdict::wait) break;
        }
        if (h.verdict == FlowSelection::Verdict::write) write_frame(h.frame, h.annotation);
        held_bytes_ -= h.bytes.size();
        held_.pop_front();
    }
}

void ExportSet::on_snapshot(const snapshot::Snapshot& snap) {
    // Held frames may wait for a quiet moment: their owners are known by now.
    // Live, packet time stands still without packets: the wall clock says
    // how long they waited.
    if (!held_.empty() && engine_ != nullptr)
        release(*engine_, live_ ? std::max(snap.ts_ns, snap.wall_ns) : snap.ts_ns, false);
    if (finished_ || snapshot_exports_.empty()) return;
    if (selection_) {
        feed(selection_->view(snap));
    } else {
        feed(snap);
    }
}

void ExportSet::feed(const snapshot::Snapshot& snap) {
    // The alerts not handed out yet (the snapshot lists the recent ones).
    auto fresh = std::find_if(snap.alerts.begin(), snap.alerts.end(),
                              [this](const snapshot::Alert& a) { return a.sequence > alerts_handed_; });
    if (fresh != snap.alerts.end()) {
        const std::span<const snapshot::Alert> alerts(&*fresh, static_cast<std::size_t>(snap.alerts.end() - fresh));
        for (auto* e : snapshot_exports_) e->on_alerts(alerts);
        alerts_handed_ = snap.alerts.back().sequence;
    }
    std::vector<exports::FlowEvent> events;
    if (wants_events_) events = tracker_.update(snap);
    for (auto* e : snapshot_exports_) e->on_snapshot(snap, events);
}

void ExportSet::finish(const snapshot::Snapshot& whole) {
    if (finished_) return;
    if (!held_.empty() && engine_ != nullptr) release(*engine_, whole.ts_ns, true);
    snapshot::Snapshot selected;
    if (selection_) selected = selection_->view(whole);
    const snapshot::Snapshot& snap = selection_ ? selected : whole;
    if (!snapshot_exports_.empty()) feed(snap);
    finished_ = true;
    for (auto& e : exporters_) e->finish(snap);
    const auto final_counts = counters();
    for (auto& e : exporters_) e->on_final_counters(snap, final_counts);
}

std::vector<snapshot::ExportCounters> ExportSet::counters() const {
    std::vector<snapshot::ExportCounters> out;
    for (const auto& e : exporters_) e->append_counters(out);
    return out;
}

std::vector<std::string> ExportSet::new_errors() {
    std::vector<std::string> errors;
    for (const auto& c : counters()) {
        if (c.error.empty()) continue;
        if (std::find(reported_.begin(), reported_.end(), c.name) != reported_.end()) continue;
        reported_.push_back(c.name);
        errors.push_back(c.retrying ? c.name + " export: " + c.error + " (retrying with backoff)"
                                    : c.name + " export stopped: " + c.error);
    }
    return errors;
}

}  // namespace sockeye::pipeline
