#include "app/cli.hpp"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "app/config.hpp"
#include "app/time_args.hpp"
#include "export/listen_address.hpp"
#include "export/ipfix_transport.hpp"
#include "filter/filter.hpp"
#include "tui/theme.hpp"

namespace sockeye::app {
namespace {

// Options that only turn something on or off.
struct Switch {
    std::string_view name;
    bool Options::*field;
    bool value;
};

constexpr std::array kSwitches{
    Switch{"--export-loss-ok", &Options::export_loss_ok, true},
    Switch{"--no-sandbox", &Options::no_sandbox, true},
    Switch{"--sandbox-strict", &Options::sandbox_strict, true},
    Switch{"--sandbox-check", &Options::sandbox_check, true},
    Switch{"--allow-kill", &Options::allow_kill, true},
    Switch{"--no-dpi", &Options::dpi, false},
    Switch{"--no-resolve", &Options::resolve, false},
    Switch{"--no-processes", &Options::processes, false},
    Switch{"--no-ebpf", &Options::ebpf, false},
    Switch{"--no-geoip", &Options::geoip, false},
    Switch{"--metrics-countries", &Options::metrics_countries, true},
    Switch{"--bits", &Options::bits, true},
};

const Switch* switch_named(std::string_view arg) {
    for (const Switch& s : kSwitches) {
        if (s.name == arg) return &s;
    }
    return nullptr;
}

// Options that name a file to write, where "-" is standard output.
std::optional<std::string Options::*> output_file_named(std::string_view arg) {
    if (arg == "--pcapng-export") return &Options::pcapng_export;
    if (arg == "--pcap-export") return &Options::pcap_export;
    if (arg == "--json-log") return &Options::json_log;
    return std::nullopt;
}

bool parse_unsigned(const std::string& text, std::uint64_t& out) {
    if (text.empty()) return false;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc{} && ptr == end;
}

bool parse_seconds(const std::string& text, double& out) {
    if (text.empty()) return false;
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() && std::isfinite(out) && out >= 0;
}

bool parse_port(const std::string& text) {
    std::uint64_t port = 0;
    return parse_unsigned(text, port) && port >= 1 && port <= 65535;
}

// One server of --dns-server: IPv4[:PORT], IPv6, or [IPv6][:PORT]. c-ares
// would take any of these; checking here turns a typo into a usage error
// instead of a note that reverse DNS is off.
bool valid_dns_server(const std::string& item) {
    in6_addr v6{};
    in_addr v4{};
    if (!item.empty() && item.front() == '[') {
        const auto close = item.find(']');
        if (close == std::string::npos) return false;
        const std::string host = item.substr(1, close - 1);
        const std::string rest = item.substr(close + 1);
        if (inet_pton(AF_INET6, host.c_str(), &v6) != 1) return false;
        return rest.empty() || (rest.front() == ':' && parse_port(rest.substr(1)));
    }
    const auto colon = item.find(':');
    if (colon != std::string::npos && item.find(':', colon + 1) != std::string::npos)
        return inet_pton(AF_INET6, item.c_str(), &v6) == 1;  // bare IPv6, no port
    const std::string host = item.substr(0, colon);
    if (inet_pton(AF_INET, host.c_str(), &v4) != 1) return false;
    return colon == std::string::npos || parse_port(item.substr(colon + 1));
}

// A comma-separated list of servers, as c-ares takes it.
bool valid_dns_servers(const std::string& text) {
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        if (!valid_dns_server(text.substr(start, comma - start))) return false;
        if (comma == std::string::npos) return true;
        start = comma + 1;
    }
}

// Names of this process's stdout that other tools accept in place of "-".
// Taken as "-" so they are not treated as files (a pcap export's sidecar
// would otherwise be created as /dev/stdout.connections.jsonl).
std::string stdout_alias(const std::string& path) {
    for (const char* alias : {"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})
        if (path == alias) return "-";
    return path;
}

// Every parse error is the user's to fix: one line, without the program name.
core::Error usage_error(std::string message) { return {core::ErrorCode::usage, std::move(message)}; }

}  // namespace

bool split_inline_value(std::string& arg, std::optional<std::string>& value) {
    if (arg.rfind("--", 0) != 0) return false;
    const auto eq = arg.find('=');
    if (eq == std::string::npos) return false;
    value = arg.substr(eq + 1);
    arg.resize(eq);
    return true;
}

std::string help_text() {
    return R"(sockeye — per-process network monitor

Usage:
  sockeye [-i IFACE] [-f FILTER] [OUTPUT]     monitor live (needs cap_net_raw,
                                              cap_net_admin for process names)
  sockeye -r FILE [--speed N|max] [OUTPUT]    replay or analyse a pcap/pcapng file
  sockeye history [--store FILE] [--since WHEN] [--filter EXPR] [--json]
                                              the recorded connections (--record),
                                              newest first
  sockeye report [--since WHEN] [--until WHEN] [--by KEY] [--csv|--json]
                                              top talkers from the recorded usage

With no OUTPUT option and a terminal on stdout, sockeye opens its terminal UI
(press ? inside for the keys); -r files are replayed at their recorded pace.

Input:
  -i, --interface IFACE   capture on IFACE ("any" for all interfaces);
                          default: the interface of the default route
  -r, --read FILE         read a capture file (pcap or pcapng) instead; "-" or a
                          pipe works (ssh HOST tcpdump -w - | sockeye -r -); with
                          "-" the output is plain text, as stdin holds the capture
  -f, --filter EXPR       BPF filter in pcap-filter(7) syntax, e.g. "tcp port 443"
      --where EXPR        only the connections EXPR selects, in the terminal UI's
                          filter language ("process:curl or port:53", "app:tls and
                          not state:closed", "bytes>10k"): in --json, --summary,
                          the plain table and every export (pcap/pcapng from the
                          first packet the connection matches at); combines
                          with -f, which picks the packets captured
  -c, --count N           stop after N packets
  -d, --duration SECS     live: stop after SECS seconds

Output (default: the terminal UI; without a terminal, a plain table every
--interval seconds live, or --summary for files; --json, --summary and
--headless exclude each other):
      --json              JSON Lines on stdout: one object per flow, then a
                          summary object (fields are listed in README.md)
      --summary           a table of flows, largest first
      --interval SECS     refresh period of the plain live table (default 2)
      --bits              rates and totals in bits (kb/s, Mb) instead of bytes, in
                          the tables and the UI (where `b` toggles it)

Rates (B/s) are averages over the last 5 seconds of packet time, one
definition for connections, processes and interfaces; a connection that is
closed has no rate.

Exports (written off the capture path; a full queue drops and counts):
      --headless          no UI and no table: capture, attribution and the
                          exports only, until SIGTERM/SIGINT/SIGHUP (or -c / -d)
      --pcapng-export FILE
                          write the packets as pcapng, each with a comment
                          "process=NAME pid=N dir=in|out app=PROTO sni=NAME"
                          (with geo databases also "country=CC asn=N")
      --pcap-export FILE  write the packets as classic pcap, and the flows to
                          FILE.connections.jsonl as they end (open ones at exit;
                          only when FILE is a regular file)
      --json-log FILE     JSON Lines connection events (new_connection,
                          connection_closed; alert for the config file's
                          [[alert]] rules, see man sockeye) to FILE
                          FILE - (or /dev/stdout) is standard output, for one
                          export at a time and only with --headless. An export
                          may not be the -r file, nor share a file with another
      --ipfix [udp://|tcp://]HOST:PORT
                          send flow records to an IPFIX collector (RFC 7011;
                          UDP unless tcp://): one per connection as it ends,
                          every 60 s for long ones, open ones at exit
      --metrics ADDR:PORT serve Prometheus metrics at http://ADDR:PORT/metrics
                          (127.0.0.1:9100, [::1]:9100, or :9100 for all
                          interfaces); -r files then replay at --speed, and
                          with --headless the final values stay served until
                          SIGTERM/SIGINT
      --metrics-countries add per-country totals of the remotes to --metrics
                          (sockeye_country_{bytes,packets}_total; a series per
                          country seen, so off by default)
      --record [FILE]     keep a history of every connection and the usage per
                          minute in the SQLite store FILE (default:
                          $XDG_STATE_HOME/sockeye/history.db, as root
                          /var/lib/sockeye/history.db); with -r, at the
                          capture's own times. Read it with sockeye history
                          or sockeye report
      --retain SPAN       keep SPAN of history (default 30d; 0: all), counted
                          back from the newest packet recorded
      --max-store SIZE    keep the store's data under SIZE (default 1G; 0: no
                          cap), dropping the oldest
      --export-loss-ok    exit 0 even when an export lost records (full
                          queue, write error); each export's totals are
                          printed on stderr at exit either way
                          Exports see events within a second of the change
                          in every mode, whatever --refresh or --interval is

History (sockeye history [OPTIONS]: the connections --record kept, newest
first, as a table or with --json as the flow lines of --json; sockeye report
[OPTIONS]: bytes, packets and connections by process, app, host, country,
container or day, most first, with totals; see sockeye report --help):
      --store FILE        the store to read (default: the one --record writes)
      --since WHEN        only connections with a packet since WHEN: a span
                          back from now (90s, 30m, 24h, 7d, 2w) or a date,
                          local unless it ends in Z (2024-05-01T13:45[:10][Z]);
                          report: default 24h
      --until WHEN        report: up to WHEN, the same forms (default: now)
      --by KEY            report: process (default), app, host, country,
                          container or day
      --csv               report: CSV instead of the table (--json: one object)
      --filter EXPR       (after history or report) the UI's filter language,
                          not BPF: port:443, process:curl and not dst:10.0.0.0/8

Terminal UI:
      --speed N|max       replay -r files N times their recorded pace
                          (default 1; max: as fast as possible)
      --refresh MS        redraw period in milliseconds, 100 to 60000
                          (default 1000)
      --theme NAME        default, dark, light or mono (NO_COLOR: mono)
      --config FILE       settings file, read in every mode (default:
                          $XDG_CONFIG_HOME/sockeye/config.toml, used only
                          if it exists and can be read)
      --no-resolve        no reverse DNS; names sniffed from DNS still show
      --dns-server IP[:PORT]
                          reverse DNS server (default: /etc/resolv.conf)
      --geoip-dir PATH    MaxMind-format (.mmdb) country, city and ASN databases:
                          a directory or a file, repeatable (default: those in
                          $XDG_DATA_HOME/sockeye, /usr/share/GeoIP,
                          /var/lib/GeoIP; scripts/fetch-geoip fetches free ones)
      --no-geoip          no country, city or network (ASN) of remote addresses
      --no-processes      no process attribution
      --no-ebpf           no eBPF: attribute from sock_diag + /proc only

Engine:
      --max-flows N       active flows kept (default 100000); at the cap the
                          idlest flow is evicted and counted
      --no-dpi            no deep packet inspection (application protocol,
                          SNI, HTTP host, DNS names, ...)

Sandbox (after start-up sockeye drops capabilities and root, sets
no_new_privs, and applies Landlock and seccomp; see README "Security"):
      --no-sandbox        keep every privilege (debugging)
      --sandbox-strict    exit 1, naming the gaps, unless every layer is
                          enforced on this kernel
      --sandbox-check     start up as a real run would, then probe the
                          sandbox from inside (read /etc/shadow, write,
                          exec, TCP connect) and print one line per probe
      --allow-kill        let the UI stop the selected process (K, after a
                          confirmation: SIGTERM, then SIGKILL): keeps
                          cap_kill and lets seccomp allow kill()

  -V, --version           version, libpcap version, build target and what
                          the sandbox can enforce on this kernel
  -h, --help              this text
  --                      end of options (sockeye takes no other arguments)

Live capture runs until q / Ctrl+C (or -c / -d); with --json or --summary it
then prints the flows.
Exit status: 0 success (also when stopped by q, SIGINT, SIGTERM or SIGHUP),
1 runtime error (e.g. a truncated capture: the flows read so far are still
printed), 2 bad usage, 3 an export lost records (dropped from a full queue or
stopped on a write error; see its line on stderr, or use --export-loss-ok).
)";
}

core::Result<Options> parse_args(const std::vector<std::string>& args) {
    Options o;
    // The output flags given, in order: more than one is a contradiction,
    // not "the last one wins".
    std::vector<std::string> outputs;
    bool options_ended = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (!options_ended && arg == "--") {
            options_ended = true;
            continue;
        }
        if (options_ended || arg.empty() || arg.front() != '-' || arg == "-") {
            return usage_error("unexpected argument '" + arg +
                               "': sockeye takes options only (a capture file is read "
                               "with -r FILE; see sockeye --help)");
        }
        std::optional<std::string> inline_value;
        split_inline_value(arg, inline_value);
        // Fetches the option's value: inline (--x=v) or the next argument.
        bool took_value = false;
        auto value = [&](std::string& out) -> bool {
            took_value = true;
            if (inline_value) {
                out = *inline_value;
                return true;
            }
            if (i + 1 >= args.size()) return false;
            out = args[++i];
            return true;
        };
        auto missing = [&] { return usage_error("option " + arg + " needs a value"); };
        auto invalid = [&](const std::string& v, const char* what) {
            return usage_error("invalid value '" + v + "' for " + arg + ": " + what);
        };
        std::string v;
        if (arg == "-h" || arg == "--help") {
            o.show_help = true;
        } else if (arg == "-V" || arg == "--version") {
            o.show_version = true;
        } else if (arg == "-i" || arg == "--interface") {
            if (!value(o.interface)) return missing();
            if (o.interface.empty()) return invalid(o.interface, "expected an interface name");
        } else if (arg == "-r" || arg == "--read") {
            if (!value(o.read_file)) return missing();
            // Empty would silently mean live capture.
            if (o.read_file.empty()) return invalid(o.read_file, "expected a capture file name");
        } else if (arg == "-f" || arg == "--filter") {
            if (!value(o.filter)) return missing();
        } else if (arg == "--where") {
            if (!value(o.where)) return missing();
            if (auto compiled = filter::compile(o.where); !compiled)
                return core::Error{compiled.error().code, "--where: " + compiled.error().message};
        } else if (arg == "--json") {
            o.output = OutputMode::json;
            outputs.push_back(arg);
        } else if (arg == "--summary") {
            o.output = OutputMode::summary;
            outputs.push_back(arg);
        } else if (arg == "--headless") {
            o.output = OutputMode::headless;
            outputs.push_back(arg);
        } else if (const auto file = output_file_named(arg)) {
            std::string& target = o.**file;
            if (!value(target)) return missing();
            if (target.empty()) return invalid(target, "expected a file name or -");
            target = stdout_alias(target);
        } else if (arg == "--record") {
            // The file is optional: taken when the next argument is not an
            // option (sockeye takes no other arguments, so nothing else can
            // be meant).
            if (inline_value) {
                took_value = true;
                o.record = *inline_value;
                if (o.record.empty()) return invalid(o.record, "expected a file name");
            } else if (i + 1 < args.size() && !args[i + 1].empty() && args[i + 1].front() != '-') {
                o.record = args[++i];
            } else {
                o.record_default = true;
            }
        } else if (arg == "--retain") {
            if (!value(v)) return missing();
            auto span = parse_span(v, "--retain");
            if (!span) return std::move(span).error();
            o.retain_ns = *span;
        } else if (arg == "--max-store") {
            if (!value(v)) return missing();
            auto size = parse_size(v, "--max-store");
            if (!size) return std::move(size).error();
            o.max_store_bytes = *size;
        } else if (arg == "--store" || arg == "--since" || arg == "--until" || arg == "--by") {
            // Listed in --help under History: the history and report commands'.
            if (!value(v)) return missing();
            return usage_error(arg + " is an option of sockeye history and sockeye report (sockeye report " + arg +
                               " " + v + ")");
        } else if (arg == "--csv") {
            return usage_error("--csv is an option of sockeye report (sockeye report --csv)");
        } else if (arg == "--ipfix") {
            if (!value(o.ipfix)) return missing();
            if (const auto endpoint = exports::parse_ipfix_endpoint(o.ipfix); !endpoint)
                return invalid(o.ipfix, endpoint.error().message.c_str());
        } else if (arg == "--metrics") {
            if (!value(o.metrics)) return missing();
            if (const auto listen = exports::parse_listen_address(o.metrics); !listen)
                return invalid(o.metrics, listen.error().message.c_str());
        } else if (const Switch* flag = switch_named(arg)) {
            o.*(flag->field) = flag->value;
            // These beat the config file.
            if (arg == "--no-resolve") o.resolve_set = true;
            if (arg == "--no-geoip") o.geoip_set = true;
        } else if (arg == "--speed") {
            if (!value(v)) return missing();
            if (v == "max") {
                o.speed = 0;
            } else if (!parse_seconds(v, o.speed) || o.speed < 0.01 || o.speed > 1e6) {
                return invalid(v, "expected a factor from 0.01 to 1000000, or max");
            }
        } else if (arg == "--refresh") {
            if (!value(v)) return missing();
            std::uint64_t ms = 0;
            if (!parse_unsigned(v, ms) || ms < static_cast<std::uint64_t>(kMinRefreshMs) ||
                ms > static_cast<std::uint64_t>(kMaxRefreshMs))
                return invalid(v, ("expected milliseconds from " + std::to_string(kMinRefreshMs) +
                                   " to " + std::to_string(kMaxRefreshMs))
                                      .c_str());
            o.refresh_ms = static_cast<int>(ms);
            o.refresh_set = true;
        } else if (arg == "--theme") {
            if (!value(o.theme)) return missing();
            if (tui::find_theme(o.theme) == nullptr) {
                std::string known;
                for (auto name : tui::theme_names()) known += (known.empty() ? "" : ", ") + std::string(name);
                return invalid(o.theme, ("expected a theme: " + known).c_str());
            }
        } else if (arg == "--config") {
            if (!value(o.config_path)) return missing();
            if (o.config_path.empty()) return invalid(o.config_path, "expected a file name");
        } else if (arg == "--dns-server") {
            if (!value(o.dns_server)) return missing();
            if (!valid_dns_servers(o.dns_server))
                return invalid(o.dns_server, "expected IP, IP:PORT or [IPv6]:PORT (comma-separated)");
        } else if (arg == "--geoip-dir") {
            if (!value(v)) return missing();
            if (v.empty()) return invalid(v, "expected a directory or an .mmdb file");
            o.geoip_paths.push_back(v);
        } else if (arg == "-c" || arg == "--count") {
            if (!value(v)) return missing();
            if (!parse_unsigned(v, o.count) || o.count == 0)
                return invalid(v, "expected a positive number of packets");
        } else if (arg == "-d" || arg == "--duration") {
            if (!value(v)) return missing();
            if (!parse_seconds(v, o.duration_s) || o.duration_s <= 0)
                return invalid(v, "expected a positive number of seconds");
        } else if (arg == "--interval") {
            if (!value(v)) return missing();
            if (!parse_seconds(v, o.interval_s) || o.interval_s < 0.1)
                return invalid(v, "expected seconds, at least 0.1");
        } else if (arg == "--max-flows") {
            if (!value(v)) return missing();
            std::uint64_t n = 0;
            if (!parse_unsigned(v, n) || n < 16 || n > 100'000'000)
                return invalid(v, "expected a number of flows from 16 to 100000000");
            o.max_flows = static_cast<std::size_t>(n);
        } else {
            return usage_error("unknown option '" + args[i] + "' (see sockeye --help)");
        }
        // "--json=1": a flag given a value is a typo, not the flag.
        if (inline_value && !took_value) return usage_error("option " + arg + " takes no value");
    }
    if (!o.read_file.empty() && !o.interface.empty())
        return usage_error("-r and -i cannot be combined: read a file or capture live");
    if (!o.read_file.empty() && o.duration_s > 0)
        return usage_error("-d applies to live capture only");
    if (o.read_file.empty() && o.speed != 1)
        return usage_error("--speed applies to -r files only");
    for (const auto& other : outputs) {
        if (other == outputs.front()) continue;
        if (outputs.front() == "--headless" || other == "--headless")
            return usage_error("--headless prints no flows: drop --json/--summary (use --json-log)");
        return usage_error(outputs.front() + " and " + other + " cannot be combined: choose one output");
    }
    if (!o.geoip && !o.geoip_paths.empty())
        return usage_error("--no-geoip and --geoip-dir contradict each other");
    if (o.metrics_countries && o.metrics.empty())
        return usage_error("--metrics-countries needs --metrics");
    if (o.no_sandbox && o.sandbox_strict)
        return usage_error("--no-sandbox and --sandbox-strict contradict each other");
    if (o.allow_kill && o.output != OutputMode::interactive)
        return usage_error("--allow-kill is for the terminal UI (K)" +
                           (outputs.empty() ? std::string() : ", not " + outputs.front()));
    if (o.allow_kill && !o.read_file.empty())
        return usage_error("--allow-kill applies to live capture only (a file has no processes)");
    std::vector<std::string> to_stdout;
    if (o.pcapng_export == "-") to_stdout.emplace_back("--pcapng-export");
    if (o.pcap_export == "-") to_stdout.emplace_back("--pcap-export");
    if (o.json_log == "-") to_stdout.emplace_back("--json-log");
    if (to_stdout.size() > 1)
        return usage_error(to_stdout[0] + " and " + to_stdout[1] + " cannot both write to stdout (-)");
    if (!to_stdout.empty() && o.output != OutputMode::headless)
        return usage_error(to_stdout[0] + " - needs --headless (stdout carries the other output)");
    if (!o.pcapng_export.empty() && o.pcapng_export == o.pcap_export)
        return usage_error("--pcapng-export and --pcap-export need different files");
    return o;
}

}  // namespace sockeye::app
