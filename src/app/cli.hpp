// Command-line options: parsing and the --help text. No I/O besides what
// the caller prints; parse errors come back as one line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sockeye::app {

enum class OutputMode { live_table, json, summary };

struct Options {
    std::string interface;    // -i; empty: default-route interface
    std::string read_file;    // -r; empty: live capture
    std::string filter;       // -f
    OutputMode output = OutputMode::live_table;
    std::size_t max_flows = 100'000;
    std::uint64_t count = 0;       // -c; 0: unlimited
    double duration_s = 0;         // -d; 0: until interrupted (live)
    double interval_s = 2;         // live table refresh
    bool dpi = true;               // --no-dpi
    bool show_help = false;
    bool show_version = false;
};

struct ParseResult {
    std::optional<Options> options;  // empty on error
    std::string error;               // one line, without the program name
};

ParseResult parse_args(const std::vector<std::string>& args);
std::string help_text();

}  // namespace sockeye::app
