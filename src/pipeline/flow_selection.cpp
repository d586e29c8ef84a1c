#include "pipeline/flow_selection.hpp"

#include <utility>

namespace sockeye::pipeline {

FlowSelection::FlowSelection(Predicate matches, bool reads_process, Enricher* enricher)
    : matches_(std::move(matches)), reads_process_(reads_process), enricher_(enricher) {}

snapshot::Snapshot FlowSelection::view(const snapshot::Snapshot& snap) {
    snapshot::Snapshot out = snap;
    std::size_t kept = 0;
    bool added = false;
    for (std::size_t i = 0; i < out.flows.size(); ++i) {
        snapshot::FlowRecord& f = out.flows[i];
        const snapshot::FlowId id = snapshot::FlowId::of(f);
        bool keep = selected_.contains(id);
        if (!keep) {
            bool judge = true;
            if (reads_process_ && f.unattributed == snapshot::UnattributedReason::pending) {
                int& waited = waiting_[id];
                judge = waited >= kProcessWaits;
                ++waited;
            }
            if (judge) {
                waiting_.erase(id);
                keep = matches_(f, snap.ts_ns);
                if (keep && f.end_sequence == 0) {
                    selected_.insert(id);
                    added = true;
                }
            }
        }
        // An ended flow reaches the exports once: nothing to follow after.
        if (f.end_sequence != 0) {
            selected_.erase(id);
            waiting_.erase(id);
        }
        if (!keep) continue;
        if (kept != i) out.flows[kept] = std::move(f);
        ++kept;
    }
    out.flows.resize(kept);
    if (added) ++epoch_;
    if (!snap.delta) forget_unlisted(snap);
    return out;
}

// A keyframe lists every active flow: the others are gone.
void FlowSelection::forget_unlisted(const snapshot::Snapshot& snap) {
    std::unordered_set<snapshot::FlowId, snapshot::FlowIdHash> listed;
    listed.reserve(snap.flows.size());
    for (const auto& f : snap.flows)
        if (f.end_sequence == 0) listed.insert(snapshot::FlowId::of(f));
    std::erase_if(selected_, [&](const snapshot::FlowId& id) { return !listed.contains(id); });
    std::erase_if(waiting_, [&](const auto& w) { return !listed.contains(w.first); });
}

FlowSelection::Verdict FlowSelection::judge_frame(const Engine& engine) {
    return judge(engine, engine.last_flow(), false);
}

FlowSelection::Verdict FlowSelection::judge_again(const Engine& engine, const flow::FlowHandle& handle,
                                                  bool force) {
    return judge(engine, handle, force);
}

FlowSelection::Verdict FlowSelection::judge(const Engine& engine, const flow::FlowHandle& handle,
                                            bool force) {
    if (!handle) return Verdict::drop;
    if (handle.slot >= slots_.size()) slots_.resize(static_cast<std::size_t>(handle.slot) + 1);
    SlotState& state = slots_[handle.slot];
    if (state.serial != handle.serial) state = SlotState{handle.serial, false, false, 0, nullptr, 0};
    if (state.selected) return Verdict::write;
    const std::int64_t now = engine.last_packet_ns();
    FlowAnnotation annotation;
    if (!engine.flow_annotation(handle, annotation)) return Verdict::drop;
    const bool due = force || state.pending || state.epoch != epoch_ ||
                     annotation.app.get() != state.app || now >= state.next_check_ns;
    if (!due) return Verdict::drop;
    state.epoch = epoch_;
    state.app = annotation.app.get();
    state.next_check_ns = now + kRecheckNs;
    snapshot::FlowRecord record;
    if (!engine.flow_record(handle, record)) return Verdict::drop;
    // Our own reverse-DNS queries are nobody's connection.
    if (enricher_ != nullptr && !enricher_->enrich_flow(record, engine)) return Verdict::drop;
    const snapshot::FlowId id = snapshot::FlowId::of(record);
    if (selected_.contains(id)) {
        state.selected = true;
        return Verdict::write;
    }
    state.pending = !force && reads_process_ &&
                    record.unattributed == snapshot::UnattributedReason::pending;
    if (state.pending) return Verdict::wait;
    if (!matches_(record, now)) return Verdict::drop;
    state.selected = true;
    selected_.insert(id);
    return Verdict::write;
}

}  // namespace sockeye::pipeline
