#include "export/flow_events.hpp"

#include <utility>

namespace sockeye::exports {

namespace {

std::vector<FlowEvent> opened_then_closed(std::vector<FlowEvent> opened,
                                          std::vector<FlowEvent> closed) {
    opened.reserve(opened.size() + closed.size());
    for (auto& e : closed) opened.push_back(std::move(e));
    return opened;
}

}  // namespace

std::vector<FlowEvent> FlowEventTracker::update(const snapshot::Snapshot& snap) {
    return snap.delta ? update_delta(snap) : update_complete(snap);
}

// The same steps as update_complete() for the flows the delta carries; the
// others keep their state (open, deferred) as it was.
std::vector<FlowEvent> FlowEventTracker::update_delta(const snapshot::Snapshot& snap) {
    std::vector<FlowEvent> opened;
    std::vector<FlowEvent> closed;
    std::unordered_map<Key, bool, KeyHash> now_ended;
    for (const auto& f : snap.flows) {
        const Key k = key_of(f);
        const auto open = open_.find(k);
        const bool was_open = open != open_.end();
        if (f.end_reason == snapshot::EndReason::active) {
            const auto d = deferred_.find(k);
            if (!was_open && f.process == nullptr &&
                f.unattributed == snapshot::UnattributedReason::pending) {
                const int waited = d == deferred_.end() ? 0 : d->second;
                if (waited < max_deferrals_) {
                    deferred_.insert_or_assign(k, waited + 1);
                    continue;
                }
            }
            if (d != deferred_.end()) deferred_.erase(d);
            if (was_open) {
                open->second = f;
            } else {
                opened.push_back({FlowEventKind::opened, f});
                open_.emplace(k, f);
            }
            continue;
        }
        deferred_.erase(k);
        now_ended.emplace(k, true);
        if (ended_.count(k) != 0) continue;  // reported in an earlier round
        if (!was_open) opened.push_back({FlowEventKind::opened, f});
        closed.push_back({FlowEventKind::closed, f});
        if (was_open) open_.erase(open);
    }
    ended_ = std::move(now_ended);
    return opened_then_closed(std::move(opened), std::move(closed));
}

std::vector<FlowEvent> FlowEventTracker::update_complete(const snapshot::Snapshot& snap) {
    std::vector<FlowEvent> opened;
    std::vector<FlowEvent> closed;
    std::unordered_map<Key, bool, KeyHash> now_ended;
    std::unordered_map<Key, snapshot::FlowRecord, KeyHash> still_open;
    std::unordered_map<Key, int, KeyHash> still_deferred;
    for (const auto& f : snap.flows) {
        const Key k = key_of(f);
        const bool was_open = open_.count(k) != 0;
        if (f.end_reason == snapshot::EndReason::active) {
            if (!was_open && f.process == nullptr &&
                f.unattributed == snapshot::UnattributedReason::pending) {
                const auto d = deferred_.find(k);
                const int waited = d == deferred_.end() ? 0 : d->second;
                if (waited < max_deferrals_) {
                    still_deferred.emplace(k, waited + 1);
                    continue;
                }
            }
            if (!was_open) opened.push_back({FlowEventKind::opened, f});
            still_open.insert_or_assign(k, f);
            continue;
        }
        now_ended.emplace(k, true);
        if (ended_.count(k) != 0) continue;  // reported in an earlier round
        if (!was_open) opened.push_back({FlowEventKind::opened, f});
        closed.push_back({FlowEventKind::closed, f});
        open_.erase(k);
    }
    // Open last time, absent now: it ended and already left the history.
    for (auto& [k, record] : open_) {
        if (still_open.count(k) == 0 && now_ended.count(k) == 0)
            closed.push_back({FlowEventKind::closed, std::move(record)});
    }
    open_ = std::move(still_open);
    deferred_ = std::move(still_deferred);
    ended_ = std::move(now_ended);
    return opened_then_closed(std::move(opened), std::move(closed));
}

}  // namespace sockeye::exports
