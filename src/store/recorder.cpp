#include "store/recorder.hpp"

namespace sockeye::store {

core::Result<std::unique_ptr<Recorder>> Recorder::open(const std::string& path, Retention retention) {
    auto store = open_for_recording(path);
    if (!store) return std::move(store).error();
    std::unique_ptr<Recorder> r(new Recorder(std::move(store).value(), retention));
    // Prepared once the Db sits at its final address (statements point at it).
    auto upsert = r->store_.db.prepare(connection_upsert_sql());
    if (!upsert) return std::move(upsert).error();
    r->upsert_ = std::move(upsert).value();
    auto usage = r->store_.db.prepare(UsageBatch::upsert_sql());
    if (!usage) return std::move(usage).error();
    r->usage_upsert_ = std::move(usage).value();
    auto hours = r->store_.db.prepare(UsageBatch::hour_upsert_sql());
    if (!hours) return std::move(hours).error();
    r->hour_upsert_ = std::move(hours).value();
    return r;
}

core::Result<void> Recorder::write(std::span<const snapshot::FlowRecord> flows, bool attributed,
                                   bool keyframe) {
    if (keyframe && !in_keyframe_) {
        in_keyframe_ = true;
        ++keyframe_;
    }
    if (flows.empty()) return {};
    Db& db = store_.db;
    if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return r;
    auto written = write_rows(flows, attributed);
    if (written) written = usage_.write(usage_upsert_, hour_upsert_);
    if (written) written = db.exec("COMMIT");
    if (!written) {
        (void)db.exec("ROLLBACK");
        usage_ = UsageBatch{};
        return written;
    }
    // The counts are taken as written only once the transaction committed.
    for (const auto& f : flows) {
        if (f.last_seen_ns > newest_ns_) newest_ns_ = f.last_seen_ns;
        const auto id = snapshot::FlowId::of(f);
        if (f.end_reason != snapshot::EndReason::active) {
            open_.erase(id);
        } else {
            OpenFlow& o = open_[id];
            o.written = UsageCounts{f.packets_sent, f.packets_received, f.bytes_sent, f.bytes_received};
            if (keyframe || o.keyframe == 0) o.keyframe = keyframe_;
        }
    }
    return {};
}

core::Result<void> Recorder::checkpoint() { return store_.db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

core::Result<bool> Recorder::maintain() { return maintenance_.step(store_.db, newest_ns_); }

void Recorder::end_keyframe() {
    if (!in_keyframe_) return;
    in_keyframe_ = false;
    std::erase_if(open_, [this](const auto& entry) { return entry.second.keyframe != keyframe_; });
}

core::Result<void> Recorder::write_rows(std::span<const snapshot::FlowRecord> flows, bool attributed) {
    for (const auto& f : flows) {
        bind_flow(upsert_, f, attributed, texts_);
        auto step = upsert_.step("cannot record a connection");
        upsert_.rewind();
        if (!step) return std::move(step).error();

        const UsageCounts now{f.packets_sent, f.packets_received, f.bytes_sent, f.bytes_received};
        const auto it = open_.find(snapshot::FlowId::of(f));
        UsageCounts growth = now;
        if (it == open_.end()) {
            growth.connections = 1;
        } else {
            // Counters only grow; a smaller value would be a new flow.
            auto minus = [](std::uint64_t a, std::uint64_t b) { return a >= b ? a - b : a; };
            const UsageCounts& before = it->second.written;
            growth.packets_sent = minus(now.packets_sent, before.packets_sent);
            growth.packets_received = minus(now.packets_received, before.packets_received);
            growth.bytes_sent = minus(now.bytes_sent, before.bytes_sent);
            growth.bytes_received = minus(now.bytes_received, before.bytes_received);
        }
        usage_.add(f, growth);
    }
    return {};
}

}  // namespace sockeye::store
