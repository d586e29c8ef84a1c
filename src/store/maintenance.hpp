// Keeping a store bounded: retention (rows older than --retain go), the
// size cap (--max-store: the oldest rows go while the file's pages in use
// exceed it) and the roll-up of minute usage rows older than a week into
// one row per hour (hour-aligned rows of usage_minutes, which report reads
// like any other). Time is the store's own: the newest packet recorded, so
// a capture file recorded with its old times keeps its last --retain.
//
// Work is done in steps, each one small transaction (at most a few
// thousand connection rows or one hour of usage rows), on the recorder's
// thread between its writes: a step never holds the file for long, and a
// large backlog (a lowered --retain) is worked off over many steps.
#pragma once

#include <cstdint>

#include "core/result.hpp"
#include "store/sqlite_db.hpp"

namespace sockeye::store {

struct Retention {
    // Rows whose time is older than the newest packet minus this go; 0 keeps
    // everything.
    std::int64_t keep_ns = 30LL * 86'400 * 1'000'000'000;
    // The pages in use (file size less its free pages) are kept under this;
    // 0: no cap. The file itself keeps its largest size (SQLite reuses the
    // freed pages rather than giving them back).
    std::uint64_t max_bytes = 0;
    // Minute usage rows older than this (before the newest packet) become
    // hour rows; 0 never rolls up.
    std::int64_t rollup_after_ns = 7LL * 86'400 * 1'000'000'000;
};

class Maintenance {
public:
    explicit Maintenance(Retention retention) : retention_(retention) {}

    // One step of whatever is due, given the newest packet time written so
    // far: retention, then the size cap, then the roll-up. True when it did
    // something (there may be more: call again), false when nothing is due.
    core::Result<bool> step(Db& db, std::int64_t newest_ns);

    [[nodiscard]] const Retention& retention() const { return retention_; }

    // Rows per step (tests make it small).
    std::int64_t batch_connections = 2000;

private:
    core::Result<bool> prune_before(Db& db, std::int64_t cutoff_ns);
    core::Result<bool> over_size(Db& db);
    core::Result<bool> shrink(Db& db);
    core::Result<bool> roll_up(Db& db, std::int64_t before_s);

    Retention retention_;
    // Hours before this (Unix seconds) are rolled up already in this run.
    std::int64_t rolled_until_s_ = INT64_MIN;
};

}  // namespace sockeye::store
