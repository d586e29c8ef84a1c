#include "app/history_command.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "app/cli.hpp"
#include "app/cli_main.hpp"
#include "app/store_location.hpp"
#include "app/time_args.hpp"
#include "core/printable_text.hpp"
#include "export/json.hpp"
#include "export/jsonl.hpp"
#include "export/summary_table.hpp"
#include "filter/filter.hpp"
#include "store/history.hpp"
#include "store/store_file.hpp"

namespace sockeye::app {
namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;

core::Error usage_error(std::string message) { return {core::ErrorCode::usage, std::move(message)}; }

// The table's time column: local time to the second.
std::string local_time(std::int64_t ns) {
    const std::time_t s = static_cast<std::time_t>(ns / kSecondNs);
    std::tm tm{};
    char buf[32];
    if (::localtime_r(&s, &tm) == nullptr || std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm) == 0)
        return "?";
    return buf;
}

std::string endpoint(const core::IpAddress& ip, std::uint16_t port) {
    const std::string a = ip.to_string();
    return (ip.is_v6() ? "[" + a + "]" : a) + ":" + std::to_string(port);
}

void pad(std::string& line, const std::string& cell, std::size_t width) {
    line += cell;
    if (cell.size() < width) line.append(width - cell.size(), ' ');
    line += ' ';
}

std::string table_row(const store::StoredFlow& s) {
    const auto& f = s.flow;
    std::string who = f.process ? f.process->name : "";
    std::string app = f.app ? f.app->protocol : "";
    std::string remote = f.remote_name.empty() ? endpoint(f.destination_ip, f.destination_port) : f.remote_name;
    std::string line;
    pad(line, local_time(f.first_seen_ns), 19);
    pad(line, std::string(snapshot::protocol_name(f.protocol)), 6);
    pad(line, endpoint(f.source_ip, f.source_port), 23);
    pad(line, core::printable_text(remote), 30);
    pad(line, core::printable_text(who), 16);
    pad(line, app, 6);
    pad(line, exports::human_bytes(f.bytes_sent), 10);
    pad(line, exports::human_bytes(f.bytes_received), 10);
    line += f.end_reason == snapshot::EndReason::active ? "open" : std::string(snapshot::end_reason_name(f.end_reason));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    line += '\n';
    return line;
}

std::string table_header() {
    std::string line;
    pad(line, "FIRST SEEN", 19);
    pad(line, "PROTO", 6);
    pad(line, "SOURCE", 23);
    pad(line, "REMOTE", 30);
    pad(line, "PROCESS", 16);
    pad(line, "APP", 6);
    pad(line, "SENT", 10);
    pad(line, "RECEIVED", 10);
    line += "END\n";
    return line;
}

std::int64_t wall_clock_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

core::Result<HistoryOptions> parse_history_args(const std::vector<std::string>& args, std::int64_t now_ns) {
    HistoryOptions o;
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
        const bool takes_value = arg == "--store" || arg == "--since" || arg == "--filter";
        if (inline_value && !takes_value) return usage_error("option " + arg + " takes no value");
        std::string v;
        if (arg == "-h" || arg == "--help") {
            o.show_help = true;
        } else if (arg == "--json") {
            o.json = true;
        } else if (arg == "--store") {
            if (!value(o.store)) return usage_error("option --store needs a value");
            if (o.store.empty()) return usage_error("invalid value '' for --store: expected a file name");
        } else if (arg == "--since") {
            if (!value(v)) return usage_error("option --since needs a value");
            auto since = parse_when(v, now_ns, "--since");
            if (!since) return std::move(since).error();
            o.since_ns = *since;
        } else if (arg == "--filter") {
            if (!value(o.filter)) return usage_error("option --filter needs a value");
            auto compiled = filter::compile(o.filter);
            if (!compiled)
                return core::Error{core::ErrorCode::bad_filter, "invalid --filter: " + compiled.error().message};
        } else {
            return usage_error("unknown option '" + args[i] + "' for sockeye history (see sockeye history --help)");
        }
    }
    return o;
}

std::string history_help_text() {
    return R"(Usage: sockeye history [--store FILE] [--since WHEN] [--filter EXPR] [--json]

The connections recorded by sockeye --record, newest first (by first packet).

      --store FILE   the history store (default: $XDG_STATE_HOME/sockeye/history.db,
                     as root /var/lib/sockeye/history.db)
      --since WHEN   only connections with a packet since WHEN: a span back
                     from now (90s, 30m, 24h, 7d, 2w) or a date and time,
                     local unless it ends in Z (2024-05-01, 2024-05-01T13:45,
                     2024-05-01T13:45:10Z)
      --filter EXPR  only connections the TUI's filter language matches
                     (port:443, process:curl and not dst:10.0.0.0/8, ...)
      --json         JSON Lines, the fields of sockeye --json's flow lines
  -h, --help         this text

Reading works while a recorder writes. Exit status: 0, 1 the store cannot be
read, 2 bad usage.
)";
}

int run_history(const std::vector<std::string>& args) {
    const auto parsed = parse_history_args(args, wall_clock_ns());
    if (!parsed) {
        return fail(parsed.error());
    }
    if (parsed->show_help) {
        std::fputs(history_help_text().c_str(), stdout);
        return 0;
    }
    auto db = open_store_to_read(parsed->store);
    if (!db) {
        return fail(db.error());
    }
    store::HistoryQuery query;
    query.since_ns = parsed->since_ns;
    query.keep = stored_flows_matching(parsed->filter);
    std::string out;
    bool write_failed = false;
    auto flush = [&out, &write_failed] {
        if (!write_failed && std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) write_failed = true;
        out.clear();
    };
    if (!parsed->json) out += table_header();
    const auto read = store::read_history(*db, query, [&](const store::StoredFlow& s) {
        if (parsed->json) {
            exports::append_flow_json(out, s.flow, exports::FlowJsonOptions{s.attributed});
        } else {
            out += table_row(s);
        }
        if (out.size() >= 256 * 1024) flush();
        return !write_failed;
    });
    flush();
    if (std::fflush(stdout) != 0) write_failed = true;
    if (!read) {
        return fail(read.error());
    }
    // A closed pipe (history | head) is the reader's choice, not a failure.
    return 0;
}

}  // namespace sockeye::app
