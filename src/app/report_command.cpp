#include "app/report_command.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "app/cli.hpp"
#include "app/cli_main.hpp"
#include "app/store_location.hpp"
#include "app/time_args.hpp"
#include "core/printable_text.hpp"
#include "export/json.hpp"
#include "export/summary_table.hpp"
#include "filter/filter.hpp"
#include "store/store_file.hpp"

namespace sockeye::app {
namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;
// Longer keys are printed whole and push their row's columns right.
constexpr std::size_t kMaxKeyWidth = 40;

core::Error usage_error(std::string message) { return {core::ErrorCode::usage, std::move(message)}; }

std::int64_t wall_clock_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string local_minute(std::int64_t ns) {
    const std::time_t s = static_cast<std::time_t>(ns / kSecondNs);
    std::tm tm{};
    char buf[32];
    if (::localtime_r(&s, &tm) == nullptr || std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm) == 0)
        return "?";
    return buf;
}

std::string key_title(store::ReportBy by) {
    std::string t(store::report_by_name(by));
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return t;
}

void cell_left(std::string& line, const std::string& text, std::size_t width) {
    line += text;
    if (text.size() < width) line.append(width - text.size(), ' ');
    line += "  ";
}

void cell_right(std::string& line, const std::string& text, std::size_t width) {
    if (text.size() < width) line.append(width - text.size(), ' ');
    line += text;
    line += "  ";
}

void end_line(std::string& line) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    line += '\n';
}

std::string table(const store::UsageReport& report, const ReportOptions& o) {
    std::vector<std::string> keys;
    keys.reserve(report.rows.size());
    std::size_t width = std::max<std::size_t>(key_title(o.by).size(), 5);
    for (const auto& r : report.rows) {
        keys.push_back(r.key.empty() ? "-" : core::printable_text(r.key));
        width = std::max(width, std::min(keys.back().size(), kMaxKeyWidth));
    }
    std::string out = "sockeye report by " + std::string(store::report_by_name(o.by)) + ", " +
                      (o.since_ns == INT64_MIN ? std::string("from the first record") : local_minute(o.since_ns)) +
                      " to " + (o.until_ns == INT64_MAX ? std::string("now") : local_minute(o.until_ns)) +
                      (o.filter.empty() ? "" : ", filter " + core::printable_text(o.filter)) + "\n\n";
    auto row = [&](const std::string& rank, const std::string& key, const std::string& in,
                   const std::string& sent, const std::string& total, const std::string& packets,
                   const std::string& connections) {
        std::string line;
        cell_right(line, rank, 4);
        cell_left(line, key, width);
        cell_right(line, in, 10);
        cell_right(line, sent, 10);
        cell_right(line, total, 10);
        cell_right(line, packets, 10);
        cell_right(line, connections, 11);
        end_line(line);
        out += line;
    };
    auto counts = [&](const std::string& rank, const std::string& key, const store::UsageRow& r) {
        row(rank, key, exports::human_bytes(r.bytes_received), exports::human_bytes(r.bytes_sent),
            exports::human_bytes(r.bytes()), std::to_string(r.packets()),
            report.connections_unknown ? "?" : std::to_string(r.connections));
    };
    row("RANK", key_title(o.by), "IN", "OUT", "TOTAL", "PACKETS", "CONNECTIONS");
    for (std::size_t i = 0; i < report.rows.size(); ++i) counts(std::to_string(i + 1), keys[i], report.rows[i]);
    out += std::string(4 + 2 + width + 2 + 4 * 12 + 11, '-') + '\n';
    counts("", "total", report.total);
    if (report.connections_unknown)
        out += "\n(connections: the store was recorded by an older sockeye; record into it once to count them)\n";
    return out;
}

void json_counts(exports::JsonObject& obj, const store::UsageRow& r) {
    obj.field("bytes_received", r.bytes_received)
        .field("bytes_sent", r.bytes_sent)
        .field("bytes", r.bytes())
        .field("packets_received", r.packets_received)
        .field("packets_sent", r.packets_sent)
        .field("packets", r.packets())
        .field("connections", r.connections);
}

std::string json(const store::UsageReport& report, const ReportOptions& o) {
    std::string out;
    exports::JsonObject top(out);
    top.field("by", store::report_by_name(o.by));
    if (o.since_ns == INT64_MIN) {
        top.field_null("since");
    } else {
        top.field_time("since", o.since_ns);
    }
    if (o.until_ns == INT64_MAX) {
        top.field_null("until");
    } else {
        top.field_time("until", o.until_ns);
    }
    top.field_or_null("filter", o.filter);
    top.field("connections_known", !report.connections_unknown);
    out += ",\"rows\":[";
    for (std::size_t i = 0; i < report.rows.size(); ++i) {
        if (i != 0) out += ',';
        exports::JsonObject obj(out);
        obj.field("rank", std::uint64_t{i + 1}).field("key", report.rows[i].key);
        json_counts(obj, report.rows[i]);
        obj.close();
    }
    out += "]";
    top.open_nested("total");
    json_counts(top, report.total);
    top.close_nested();
    top.close();
    out += '\n';
    return out;
}

// RFC 4180: quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string csv(const store::UsageReport& report) {
    std::string out = "rank,key,bytes_received,bytes_sent,bytes,packets_received,packets_sent,packets,connections\n";
    auto line = [&out](const std::string& rank, const store::UsageRow& r) {
        out += rank + ',' + csv_field(r.key) + ',' + std::to_string(r.bytes_received) + ',' +
               std::to_string(r.bytes_sent) + ',' + std::to_string(r.bytes()) + ',' +
               std::to_string(r.packets_received) + ',' + std::to_string(r.packets_sent) + ',' +
               std::to_string(r.packets()) + ',' + std::to_string(r.connections) + '\n';
    };
    for (std::size_t i = 0; i < report.rows.size(); ++i) line(std::to_string(i + 1), report.rows[i]);
    line("total", report.total);
    return out;
}

}  // namespace

core::Result<ReportOptions> parse_report_args(const std::vector<std::string>& args, std::int64_t now_ns) {
    ReportOptions o;
    std::string since = "24h";
    std::string until;
    bool format_given = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        std::optional<std::string> inline_value;
        split_inline_value(arg, inline_value);
        auto value = [&](std::string& out) {
            if (inline_value) {
                out = *inline_value;
                return true;
            }
            if (i + 1 >= args.size()) return false;
            out = args[++i];
            return true;
        };
        const bool takes_value =
            arg == "--store" || arg == "--since" || arg == "--until" || arg == "--by" || arg == "--filter";
        if (inline_value && !takes_value) return usage_error("option " + arg + " takes no value");
        if (takes_value) {
            std::string v;
            if (!value(v)) return usage_error("option " + arg + " needs a value");
            if (arg == "--store") {
                if (v.empty()) return usage_error("invalid value '' for --store: expected a file name");
                o.store = std::move(v);
            } else if (arg == "--since") {
                since = std::move(v);
            } else if (arg == "--until") {
                until = std::move(v);
            } else if (arg == "--by") {
                const auto by = store::report_by_from_name(v);
                if (!by)
                    return usage_error("invalid value '" + v +
                                       "' for --by: expected process, app, host, country, container or day");
                o.by = *by;
            } else {
                o.filter = std::move(v);
            }
        } else if (arg == "-h" || arg == "--help") {
            o.show_help = true;
        } else if (arg == "--json" || arg == "--csv") {
            const auto format = arg == "--json" ? ReportOptions::Format::json : ReportOptions::Format::csv;
            if (format_given && o.format != format) return usage_error("--json and --csv exclude each other");
            o.format = format;
            format_given = true;
        } else {
            return usage_error("unknown option '" + args[i] + "' for sockeye report (see sockeye report --help)");
        }
    }
    auto s = parse_when(since, now_ns, "--since");
    if (!s) return std::move(s).error();
    o.since_ns = *s;
    if (!until.empty()) {
        auto u = parse_when(until, now_ns, "--until");
        if (!u) return std::move(u).error();
        o.until_ns = *u;
    }
    if (o.until_ns <= o.since_ns) return usage_error("--until must be later than --since");
    if (!o.filter.empty()) {
        auto compiled = filter::compile(o.filter);
        if (!compiled)
            return core::Error{core::ErrorCode::bad_filter, "invalid --filter: " + compiled.error().message};
    }
    return o;
}

std::string report_help_text() {
    return R"(Usage: sockeye report [--store FILE] [--since WHEN] [--until WHEN] [--by KEY]
                      [--filter EXPR] [--json | --csv]

Top talkers from the store sockeye --record writes: bytes in and out,
packets and connections by KEY, most bytes first, and the totals.

      --store FILE   the history store (default: $XDG_STATE_HOME/sockeye/history.db,
                     as root /var/lib/sockeye/history.db)
      --since WHEN   from WHEN (default 24h): a span back from now (90s, 30m,
                     24h, 7d, 2w) or a date and time, local unless it ends
                     in Z (2024-05-01, 2024-05-01T13:45, 2024-05-01T13:45:10Z)
      --until WHEN   up to WHEN, the same forms (default: now)
      --by KEY       process (default), app, host (the remote's name),
                     country, container, or day (local days, oldest first)
      --filter EXPR  only connections the TUI's filter language matches
                     (port:443, process:curl and not dst:10.0.0.0/8, ...);
                     summed from the connection rows, each connection in
                     the range of its last packet
      --json         one JSON object: rows and total
      --csv          CSV with a header; the last row is the total
  -h, --help         this text

Without --filter the sums come from the per-minute usage rows: whole
minutes, whole hours for what is older than a week. Reading works while
a recorder writes. Exit status: 0, 1 the store cannot be read, 2 bad usage.
)";
}

std::string format_report(const store::UsageReport& report, const ReportOptions& options) {
    switch (options.format) {
        case ReportOptions::Format::json: return json(report, options);
        case ReportOptions::Format::csv: return csv(report);
        case ReportOptions::Format::table: break;
    }
    return table(report, options);
}

int run_report(const std::vector<std::string>& args) {
    const auto parsed = parse_report_args(args, wall_clock_ns());
    if (!parsed) {
        return fail(parsed.error());
    }
    if (parsed->show_help) {
        std::fputs(report_help_text().c_str(), stdout);
        return 0;
    }
    auto db = open_store_to_read(parsed->store);
    if (!db) {
        return fail(db.error());
    }
    store::UsageReportQuery query;
    query.since_ns = parsed->since_ns;
    query.until_ns = parsed->until_ns;
    query.by = parsed->by;
    query.keep = stored_flows_matching(parsed->filter);
    const auto report = store::usage_report(*db, query);
    if (!report) {
        return fail(report.error());
    }
    const std::string out = format_report(*report, *parsed);
    // A closed pipe (report | head) is the reader's choice, not a failure.
    (void)std::fwrite(out.data(), 1, out.size(), stdout);
    (void)std::fflush(stdout);
    return 0;
}

}  // namespace sockeye::app
