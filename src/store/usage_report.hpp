// Top talkers: what `sockeye report` prints and the TUI's History view
// reads. Bytes, packets and connections over a time range, summed by one
// key (process, application, remote host, country, container or day).
//
// Without a filter the sums come from the usage rows, read by their primary
// key's leading time: usage_hours for the whole hours of the range (not by
// host: it has no names), usage_minutes for its ends (and by host). Whole
// minutes, so the range's ends are as coarse. With a filter they come
// from the connection rows, each connection whole in the range of its last
// packet: the filter language tests a flow (ports, addresses, state, RTT...)
// that the usage rows no longer know.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "snapshot/flow_record.hpp"
#include "store/sqlite_db.hpp"

namespace sockeye::store {

enum class ReportBy : std::uint8_t { process, app, host, country, container, day };

// "process", "app", ...; nullopt for an unknown name.
std::optional<ReportBy> report_by_from_name(std::string_view name);
std::string_view report_by_name(ReportBy by);

struct UsageReportQuery {
    // [since, until): nanoseconds since the epoch.
    std::int64_t since_ns = std::numeric_limits<std::int64_t>::min();
    std::int64_t until_ns = std::numeric_limits<std::int64_t>::max();
    ReportBy by = ReportBy::process;
    // Only the connections it keeps (a --filter): the sums come from the
    // connection rows. Empty: every connection, from the usage rows.
    std::function<bool(const snapshot::FlowRecord&)> keep;
};

struct UsageRow {
    // The process name, application, remote name, country code, container
    // or local day (YYYY-MM-DD); "" where the flow did not know it.
    std::string key;
    std::uint64_t bytes_received = 0, bytes_sent = 0;
    std::uint64_t packets_received = 0, packets_sent = 0;
    std::uint64_t connections = 0;
    [[nodiscard]] std::uint64_t bytes() const { return bytes_received + bytes_sent; }
    [[nodiscard]] std::uint64_t packets() const { return packets_received + packets_sent; }
    void add(const UsageRow& other);
};

struct UsageReport {
    // Most bytes first (ties by key); by day, oldest day first.
    std::vector<UsageRow> rows;
    UsageRow total;  // key ""
    // The file was recorded by schema version 1, whose usage rows did not
    // count connections: unfiltered counts are 0 for its minutes.
    bool connections_unknown = false;
};

core::Result<UsageReport> usage_report(Db& db, const UsageReportQuery& query);

}  // namespace sockeye::store
