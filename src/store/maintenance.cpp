#include "store/maintenance.hpp"

#include <string>

namespace sockeye::store {
namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if (a % b != 0 && (a < 0) != (b < 0)) --q;
    return q;
}

// Runs `work` in one write transaction; nothing of it is kept on failure.
template <typename Work>
core::Result<bool> in_transaction(Db& db, Work work) {
    if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return std::move(r).error();
    auto done = work();
    if (done) {
        if (auto c = db.exec("COMMIT"); !c) done = std::move(c).error();
    }
    if (!done) (void)db.exec("ROLLBACK");
    return done;
}

core::Result<std::int64_t> one_int(Db& db, const std::string& sql, std::int64_t a, std::int64_t b = 0) {
    auto s = db.prepare(sql);
    if (!s) return std::move(s).error();
    s->bind(1, a);
    s->bind(2, b);
    auto row = s->step("cannot maintain the store");
    if (!row) return std::move(row).error();
    if (!*row || s->is_null(0)) return INT64_MIN;
    return s->int64(0);
}

core::Result<bool> run(Db& db, const std::string& sql, std::int64_t a, std::int64_t b = 0) {
    auto s = db.prepare(sql);
    if (!s) return std::move(s).error();
    s->bind(1, a);
    s->bind(2, b);
    auto r = s->step("cannot maintain the store");
    if (!r) return std::move(r).error();
    return db.changes() > 0;
}

}  // namespace

core::Result<bool> Maintenance::step(Db& db, std::int64_t newest_ns) {
    if (newest_ns == INT64_MIN) return false;
    std::int64_t cut = 0;
    // A span reaching back past the clock's range keeps everything.
    if (retention_.keep_ns > 0 && !__builtin_sub_overflow(newest_ns, retention_.keep_ns, &cut)) {
        auto pruned = prune_before(db, cut);
        if (!pruned || *pruned) return pruned;
    }
    if (retention_.max_bytes > 0) {
        auto over = over_size(db);
        if (!over) return over;
        if (*over) return shrink(db);
    }
    if (retention_.rollup_after_ns > 0 && !__builtin_sub_overflow(newest_ns, retention_.rollup_after_ns, &cut)) {
        // Whole hours only: the hour holding the cut stays in minutes.
        return roll_up(db, floor_div(floor_div(cut, kSecondNs), 3600) * 3600);
    }
    return false;
}

// A bounded batch of what is older than the cutoff: the oldest connections
// whose last packet is before it (by the last_seen index), the minute rows
// of the oldest hour before it, the hour rows of the oldest day before it.
core::Result<bool> Maintenance::prune_before(Db& db, std::int64_t cutoff_ns) {
    const std::int64_t cut_s = floor_div(cutoff_ns, kSecondNs);
    return in_transaction(db, [&]() -> core::Result<bool> {
        bool any = false;
        auto c = run(db,
                     "DELETE FROM connections WHERE id IN (SELECT id FROM connections WHERE last_seen < ?1 "
                     "ORDER BY last_seen LIMIT ?2)",
                     cutoff_ns, batch_connections);
        if (!c) return c;
        any = any || *c;
        // A minute row goes once its whole minute is before the cut.
        auto oldest = one_int(db, "SELECT min(minute) FROM usage_minutes", 0);
        if (!oldest) return std::move(oldest).error();
        if (*oldest != INT64_MIN && *oldest + 60 <= cut_s) {
            auto m = run(db, "DELETE FROM usage_minutes WHERE minute < ?1 AND minute + 60 <= ?2",
                         *oldest + 3600, cut_s);
            if (!m) return m;
            any = any || *m;
        }
        auto oldest_hour = one_int(db, "SELECT min(hour) FROM usage_hours", 0);
        if (!oldest_hour) return std::move(oldest_hour).error();
        if (*oldest_hour != INT64_MIN && *oldest_hour + 3600 <= cut_s) {
            auto h = run(db, "DELETE FROM usage_hours WHERE hour < ?1 AND hour + 3600 <= ?2",
                         *oldest_hour + 86'400, cut_s);
            if (!h) return h;
            any = any || *h;
        }
        return any;
    });
}

core::Result<bool> Maintenance::over_size(Db& db) {
    auto pages = db.query_int("PRAGMA page_count");
    if (!pages) return std::move(pages).error();
    auto free_pages = db.query_int("PRAGMA freelist_count");
    if (!free_pages) return std::move(free_pages).error();
    auto page_size = db.query_int("PRAGMA page_size");
    if (!page_size) return std::move(page_size).error();
    const auto used = static_cast<std::uint64_t>(*pages - *free_pages) * static_cast<std::uint64_t>(*page_size);
    return used > retention_.max_bytes;
}

// Over the cap: the store gives up its oldest time, all tables to the same
// cut (one span of time, not connections of one period and usage of
// another), moved by at most a batch of connections or an hour of usage.
core::Result<bool> Maintenance::shrink(Db& db) {
    auto nth = one_int(db, "SELECT last_seen FROM connections ORDER BY last_seen LIMIT 1 OFFSET ?1",
                       batch_connections - 1);
    if (!nth) return std::move(nth).error();
    std::int64_t cut = *nth;
    if (cut == INT64_MIN) {  // fewer than a batch: all of them
        auto last = one_int(db, "SELECT max(last_seen) FROM connections", 0);
        if (!last) return std::move(last).error();
        cut = *last == INT64_MIN ? INT64_MAX - 1 : *last;
    }
    std::int64_t cut_ns = cut + 1;
    for (const char* sql : {"SELECT min(minute) FROM usage_minutes", "SELECT min(hour) FROM usage_hours"}) {
        auto oldest = one_int(db, sql, 0);
        if (!oldest) return std::move(oldest).error();
        if (*oldest != INT64_MIN && (*oldest + 3600) * kSecondNs < cut_ns) cut_ns = (*oldest + 3600) * kSecondNs;
    }
    if (cut_ns == INT64_MAX) return false;  // empty: nothing to give
    return prune_before(db, cut_ns);
}

// One hour of minute rows before `before_s` becomes one row per key at the
// hour's start. An hour is rolled when it has rows off the hour.
core::Result<bool> Maintenance::roll_up(Db& db, std::int64_t before_s) {
    auto first = one_int(db,
                         "SELECT minute FROM usage_minutes WHERE minute >= ?1 AND minute < ?2 AND "
                         "minute % 3600 != 0 LIMIT 1",
                         rolled_until_s_, before_s);
    if (!first) return std::move(first).error();
    if (*first == INT64_MIN) {
        rolled_until_s_ = before_s;
        return false;
    }
    const std::int64_t hour = floor_div(*first, 3600) * 3600;
    auto done = in_transaction(db, [&]() -> core::Result<bool> {
        auto added = run(db,
                         "INSERT INTO usage_minutes (minute, process_name, container, dpi_protocol, remote_name, "
                         "remote_geo_country, remote_geo_asn, packets_sent, packets_received, bytes_sent, "
                         "bytes_received, connections) "
                         "SELECT ?1, process_name, container, dpi_protocol, remote_name, remote_geo_country, "
                         "remote_geo_asn, sum(packets_sent), sum(packets_received), sum(bytes_sent), "
                         "sum(bytes_received), sum(connections) FROM usage_minutes "
                         "WHERE minute > ?1 AND minute < ?1 + 3600 GROUP BY 2, 3, 4, 5, 6, 7 "
                         "ON CONFLICT DO UPDATE SET packets_sent = packets_sent + excluded.packets_sent, "
                         "packets_received = packets_received + excluded.packets_received, "
                         "bytes_sent = bytes_sent + excluded.bytes_sent, "
                         "bytes_received = bytes_received + excluded.bytes_received, "
                         "connections = connections + excluded.connections",
                         hour);
        if (!added) return added;
        return run(db, "DELETE FROM usage_minutes WHERE minute > ?1 AND minute < ?1 + 3600", hour);
    });
    if (done) rolled_until_s_ = hour + 3600;
    return done;
}

}  // namespace sockeye::store
