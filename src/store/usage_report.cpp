#include "store/usage_report.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <map>
#include <utility>

#include "store/flow_row.hpp"

namespace sockeye::store {
namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;

constexpr std::array<std::pair<ReportBy, std::string_view>, 6> kNames{{
    {ReportBy::process, "process"},
    {ReportBy::app, "app"},
    {ReportBy::host, "host"},
    {ReportBy::country, "country"},
    {ReportBy::container, "container"},
    {ReportBy::day, "day"},
}};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if (a % b != 0 && (a < 0) != (b < 0)) --q;
    return q;
}

std::uint64_t as_count(std::int64_t v) { return v < 0 ? 0 : static_cast<std::uint64_t>(v); }

// The local calendar day of a Unix second, remembered for the next call
// of the same minute (rows come grouped by minute or in time order).
class LocalDay {
public:
    const std::string& of(std::int64_t seconds) {
        const std::int64_t minute = floor_div(seconds, 60);
        if (minute == minute_ && !day_.empty()) return day_;
        minute_ = minute;
        const auto t = static_cast<std::time_t>(seconds);
        std::tm tm{};
        char buf[16];
        if (::localtime_r(&t, &tm) == nullptr || std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm) == 0) {
            day_ = "?";
        } else {
            day_ = buf;
        }
        return day_;
    }

private:
    std::int64_t minute_ = 0;
    std::string day_;
};

// The column a key reads (the day is grouped by the row's start).
const char* usage_column(ReportBy by, bool hours) {
    switch (by) {
        case ReportBy::process: return "process_name";
        case ReportBy::app: return "dpi_protocol";
        case ReportBy::host: return "remote_name";
        case ReportBy::country: return "remote_geo_country";
        case ReportBy::container: return "container";
        case ReportBy::day: return hours ? "hour" : "minute";
    }
    return "process_name";
}

std::string flow_key(const snapshot::FlowRecord& f, ReportBy by, LocalDay& day) {
    switch (by) {
        case ReportBy::process: return f.process ? f.process->name : "";
        case ReportBy::app: return f.app ? f.app->protocol : "";
        case ReportBy::host: return f.remote_name;
        case ReportBy::country: return f.remote_geo ? f.remote_geo->country : "";
        case ReportBy::container: return f.process ? f.process->container : "";
        case ReportBy::day: return day.of(floor_div(f.last_seen_ns, kSecondNs));
    }
    return "";
}

using Sums = std::map<std::string, UsageRow>;

// Adds the rows of `table` starting in [from, to) (Unix seconds) to `sums`.
core::Result<void> sum_table(Db& db, const UsageReportQuery& q, bool hours, bool with_connections,
                             std::int64_t from, std::int64_t to, Sums& sums) {
    if (from >= to) return {};
    const std::string start = hours ? "hour" : "minute";
    auto select = db.prepare("SELECT " + std::string(usage_column(q.by, hours)) +
                             ", sum(bytes_received), sum(bytes_sent), sum(packets_received), "
                             "sum(packets_sent), " +
                             std::string(with_connections ? "sum(connections)" : "0") + " FROM " +
                             (hours ? "usage_hours" : "usage_minutes") + " WHERE " + start + " >= ?1 AND " +
                             start + " < ?2 GROUP BY 1");
    if (!select) return std::move(select).error();
    select->bind(1, from);
    select->bind(2, to);
    LocalDay day;
    for (;;) {
        auto row = select->step("cannot read the usage rows");
        if (!row) return std::move(row).error();
        if (!*row) return {};
        UsageRow r;
        r.bytes_received = as_count(select->int64(1));
        r.bytes_sent = as_count(select->int64(2));
        r.packets_received = as_count(select->int64(3));
        r.packets_sent = as_count(select->int64(4));
        r.connections = as_count(select->int64(5));
        const std::string key = q.by == ReportBy::day ? day.of(select->int64(0)) : select->text(0);
        sums[key].add(r);
    }
}

core::Result<void> sum_usage_rows(Db& db, const UsageReportQuery& q, Sums& sums, bool& connections_unknown) {
    auto version = db.query_int("PRAGMA user_version");
    if (!version) return std::move(version).error();
    connections_unknown = *version < 2;
    // A row counts when its minute starts in [since, until): the minute
    // holding `since` counts whole.
    const std::int64_t since_s = floor_div(q.since_ns, 60 * kSecondNs) * 60;
    const std::int64_t until_s = -floor_div(-(q.until_ns == INT64_MIN ? INT64_MIN + 1 : q.until_ns), kSecondNs);
    // The whole hours in between from usage_hours (not by host: it has no
    // names; not from a version 1 file: it has none), the ends from the minutes.
    std::int64_t first_hour = -floor_div(-since_s, 3600) * 3600;
    std::int64_t end_hour = floor_div(until_s, 3600) * 3600;
    if (q.by == ReportBy::host || *version < 2 || first_hour >= end_hour) {
        first_hour = until_s;
        end_hour = until_s;
    }
    if (auto r = sum_table(db, q, false, !connections_unknown, since_s, first_hour, sums); !r) return r;
    if (auto r = sum_table(db, q, true, true, first_hour, end_hour, sums); !r) return r;
    return sum_table(db, q, false, !connections_unknown, end_hour, until_s, sums);
}

core::Result<void> sum_connection_rows(Db& db, const UsageReportQuery& q, Sums& sums) {
    auto select = db.prepare(connection_select_sql() + " WHERE last_seen >= ?1 AND last_seen < ?2");
    if (!select) return std::move(select).error();
    select->bind(1, q.since_ns);
    select->bind(2, q.until_ns);
    FlowRowReader reader(db);
    LocalDay day;
    for (;;) {
        auto row = select->step("cannot read the connections");
        if (!row) return std::move(row).error();
        if (!*row) return {};
        auto stored = reader.read(*select);
        if (!stored) return std::move(stored).error();
        const snapshot::FlowRecord& f = stored->flow;
        if (!q.keep(f)) continue;
        UsageRow r;
        r.bytes_received = f.bytes_received;
        r.bytes_sent = f.bytes_sent;
        r.packets_received = f.packets_received;
        r.packets_sent = f.packets_sent;
        r.connections = 1;
        sums[flow_key(f, q.by, day)].add(r);
    }
}

}  // namespace

std::optional<ReportBy> report_by_from_name(std::string_view name) {
    for (const auto& [by, n] : kNames)
        if (n == name) return by;
    return std::nullopt;
}

std::string_view report_by_name(ReportBy by) {
    for (const auto& [b, n] : kNames)
        if (b == by) return n;
    return "process";
}

void UsageRow::add(const UsageRow& o) {
    bytes_received += o.bytes_received;
    bytes_sent += o.bytes_sent;
    packets_received += o.packets_received;
    packets_sent += o.packets_sent;
    connections += o.connections;
}

core::Result<UsageReport> usage_report(Db& db, const UsageReportQuery& query) {
    UsageReport report;
    Sums sums;
    // One read transaction: one state of the file (WAL) while a recorder
    // writes, however many SELECTs the sums take.
    if (auto r = db.exec("BEGIN"); !r) return std::move(r).error();
    auto summed = query.keep ? sum_connection_rows(db, query, sums)
                             : sum_usage_rows(db, query, sums, report.connections_unknown);
    (void)db.exec("COMMIT");
    if (!summed) return std::move(summed).error();
    report.rows.reserve(sums.size());
    for (auto& [key, row] : sums) {
        row.key = key;
        report.total.add(row);
        report.rows.push_back(std::move(row));
    }
    if (query.by != ReportBy::day) {
        // std::map gave key order: a stable sort keeps it among equal totals.
        std::stable_sort(report.rows.begin(), report.rows.end(),
                         [](const UsageRow& a, const UsageRow& b) { return a.bytes() > b.bytes(); });
    }
    return report;
}

}  // namespace sockeye::store
