// `sockeye report [--store FILE] [--since WHEN] [--until WHEN] [--by KEY]
// [--filter EXPR] [--json|--csv]`: top talkers from the history store
// (--record), like vnstat: rank, key, in, out, total, packets, connections,
// and a totals line. The sums are store::usage_report()'s.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/usage_report.hpp"

namespace sockeye::app {

struct ReportOptions {
    enum class Format : std::uint8_t { table, json, csv };
    std::string store;  // empty: the default store (store_location.hpp)
    std::int64_t since_ns = 0;  // default: 24 hours before now
    std::int64_t until_ns = std::numeric_limits<std::int64_t>::max();
    store::ReportBy by = store::ReportBy::process;
    std::string filter;  // the filter language's text; empty: none
    Format format = Format::table;
    bool show_help = false;
};

// Errors are ErrorCode::usage (or bad_filter for --filter), one line.
// `now_ns`: the wall clock, which --since and --until count back from.
core::Result<ReportOptions> parse_report_args(const std::vector<std::string>& args, std::int64_t now_ns);

std::string report_help_text();

// The output, without reading anything (tests): the table, JSON or CSV.
std::string format_report(const store::UsageReport& report, const ReportOptions& options);

// The whole command: its exit status (0, 1 the store cannot be read, 2 usage).
int run_report(const std::vector<std::string>& args);

}  // namespace sockeye::app
