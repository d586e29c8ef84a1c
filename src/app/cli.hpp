// Command-line options: parsing and the --help text. No I/O besides what
// the caller prints; parse errors come back as one line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "core/result.hpp"

namespace sockeye::app {

// interactive: the terminal UI when stdout is a terminal; otherwise a plain
// table redrawn every --interval (live) or the summary (files).
// headless: no output of its own, only the exports (services, containers).
enum class OutputMode { interactive, json, summary, headless };

struct Options {
    std::string interface;    // -i; empty: default-route interface
    std::string read_file;    // -r; empty: live capture
    std::string filter;       // -f
    // --where EXPR (config `where`): the filter language (filter/filter.hpp)
    // over connections, for every output but the terminal UI's table; empty:
    // every connection.
    std::string where;
    // The config file's [[alert]] rules (resolve_settings copies them).
    std::vector<AlertConfig> alerts;
    OutputMode output = OutputMode::interactive;
    std::size_t max_flows = 100'000;
    std::uint64_t count = 0;       // -c; 0: unlimited
    double duration_s = 0;         // -d; 0: until interrupted (live)
    double interval_s = 2;         // live table refresh
    bool dpi = true;               // --no-dpi
    // Terminal UI.
    double speed = 1;              // --speed: replay pace of -r files; 0 = as fast as possible
    int refresh_ms = 1000;         // --refresh
    bool resolve = true;           // --no-resolve: no reverse DNS
    bool processes = true;         // --no-processes: no process attribution
    bool ebpf = true;              // --no-ebpf: attribution without the kernel programs
    std::string theme;             // --theme; empty: config file, else "default"
    std::string config_path;       // --config; empty: $XDG_CONFIG_HOME/sockeye/config.toml
    std::string dns_server;        // --dns-server IP[:PORT] for reverse DNS; empty: resolv.conf
    bool geoip = true;             // --no-geoip: no country/network of remote addresses
    // --geoip-dir DIR|FILE (repeatable): the .mmdb databases; empty: the
    // default search path (geo/geo_databases.hpp).
    std::vector<std::string> geoip_paths;
    // Exports (empty: off).
    std::string pcapng_export;     // --pcapng-export FILE: annotated pcapng
    std::string pcap_export;       // --pcap-export FILE: pcap + FILE.connections.jsonl
    std::string json_log;          // --json-log FILE|-: connection events
    std::string ipfix;             // --ipfix [udp://|tcp://]HOST:PORT: IPFIX flow records
    std::string metrics;           // --metrics ADDR:PORT: Prometheus /metrics endpoint
    bool metrics_countries = false;  // --metrics-countries: per-country totals in --metrics
    bool bits = false;               // --bits: rates and totals in bits (the UI's `b`, the plain table)
    bool export_loss_ok = false;   // --export-loss-ok: lost export records do not fail the run
    // History store (--record [FILE]): the file to record into; empty: off.
    // A bare --record (or the config's `record = true`) leaves it empty with
    // record_default set; resolve_settings() names the default store then.
    std::string record;
    bool record_default = false;
    bool record_own_dir = false;   // `record` is the default store, in a directory of its own
    // --retain SPAN and --max-store SIZE (0: none); unset: the config's, else
    // the defaults (store::Retention).
    std::optional<std::int64_t> retain_ns;
    std::optional<std::uint64_t> max_store_bytes;
    // Given on the command line (beat the config file).
    bool refresh_set = false, resolve_set = false, geoip_set = false;
    bool show_help = false;
    bool show_version = false;
    // Least privilege after start-up (src/app/sandbox_setup.hpp).
    bool no_sandbox = false;       // --no-sandbox: skip it entirely
    bool sandbox_strict = false;   // --sandbox-strict: exit 1 unless every layer holds
    bool allow_kill = false;       // --allow-kill: K in the UI may signal the selected process
    bool sandbox_check = false;    // --sandbox-check: start up, probe the sandbox, exit
};

// Errors are ErrorCode::usage, one line without the program name.
core::Result<Options> parse_args(const std::vector<std::string>& args);
// Splits "--name=value" into name and value (the main command line's and
// `sockeye history`'s); false, `arg` untouched, for anything else.
bool split_inline_value(std::string& arg, std::optional<std::string>& value);
std::string help_text();

}  // namespace sockeye::app
