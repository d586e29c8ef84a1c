#include "store/recorder.hpp"

namespace sockeye::store {

core::Result<std::unique_ptr<Recorder>> Recorder::open(const std::string& path) {
    auto store = open_for_recording(path);
    if (!store) return std::move(store).error();
    std::unique_ptr<Recorder> r(new Recorder(std::move(store).value()));
    // Prepared once the Db sits at its final address (statements point at it).
    auto upsert = r->store_.db.prepare(connection_upsert_sql());
    if (!upsert) return std::move(upsert).error();
    r->upsert_ = std::move(upsert).value();
    auto usage = r->store_.db.prepare(UsageBatch::upsert_sql());
    if (!usage) return std::move(usage).error();
    r->usage_upsert_ = std::move(usage).value();
    return r;
}

core::Result<void> Recorder::write(std::span<const snapshot::FlowRecord> flows, bool attributed) {
    if (flows.empty()) return {};
    Db& db = store_.db;
    if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return r;
    auto written = write_rows(flows, attributed);
    if (written) written = usage_.write(db, usage_upsert_);
    if (written) written = db.exec("COMMIT");
    if (!written) {
        (void)db.exec("ROLLBACK");
        usage_ = UsageBatch{};
        return written;
    }
    // The counts are taken as written only once the transaction committed.
    for (const auto& f : flows) {
        const auto id = snapshot::FlowId::of(f);
        if (f.end_reason != snapshot::EndReason::active) {
            open_.erase(id);
        } else {
            open_[id] = UsageCounts{f.packets_sent, f.packets_received, f.bytes_sent, f.bytes_received};
        }
    }
    return {};
}

core::Result<void> Recorder::write_rows(std::span<const snapshot::FlowRecord> flows, bool attributed) {
    for (const auto& f : flows) {
        bind_flow(upsert_, f, attributed);
        auto step = upsert_.step("cannot record a connection");
        upsert_.reset();
        if (!step) return std::move(step).error();

        const UsageCounts now{f.packets_sent, f.packets_received, f.bytes_sent, f.bytes_received};
        const auto it = open_.find(snapshot::FlowId::of(f));
        UsageCounts growth = now;
        if (it != open_.end()) {
            // Counters only grow; a smaller value would be a new flow.
            auto minus = [](std::uint64_t a, std::uint64_t b) { return a >= b ? a - b : a; };
            growth.packets_sent = minus(now.packets_sent, it->second.packets_sent);
            growth.packets_received = minus(now.packets_received, it->second.packets_received);
            growth.bytes_sent = minus(now.bytes_sent, it->second.bytes_sent);
            growth.bytes_received = minus(now.bytes_received, it->second.bytes_received);
        }
        usage_.add(f, growth);
    }
    return {};
}

}  // namespace sockeye::store
