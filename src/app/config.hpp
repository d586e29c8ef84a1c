// The config file ($XDG_CONFIG_HOME/sockeye/config.toml): theme, table
// columns, default sort and filter, refresh period, name resolution. Every
// key is optional; an unknown key, a wrong type or a bad value is an error
// naming the file and line, so a typo is never silently ignored.
//
//   theme = "dark"
//   columns = ["process", "remote", "service", "rate_down", "rate_up"]
//   sort = "rate_down"
//   sort_descending = true
//   filter = "not port:53"
//   where = "not app:dns"             (as --where: every output but the UI's table)
//   refresh_ms = 1000
//   resolve_names = true
//   geoip = true
//   geoip_dir = "/srv/geoip"          (or a list of directories and files)
//   metrics_countries = false         (per-country totals when --metrics serves)
//   record = true                     (or a file: the history store, as --record)
//   retain = "30d"                    (the history kept, as --retain; "0": all)
//   max_store = "1G"                  (the history store's cap, as --max-store)
//   bits = false                      (rates and totals in bits, as --bits)
//
// Keys live at the top level (no [table] is defined yet), before any
// [[alert]] table (see AlertConfig). Which themes and
// columns exist is the UI's business: the caller passes the valid names, so
// this file does not depend on tui/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sockeye::app {

// One [[alert]] table (pipeline/alerts.hpp says what each condition means):
//   [[alert]]
//   name = "curl-new-host"          (default: "alert N", N its place in the file)
//   filter = "process:curl"         (the filter language; default: every flow)
//   condition = "new_destination"   (new_destination, new_ja4, rate_above, listening)
//   by = "name"                     (new_destination: name, asn or country)
//   rate_above = "10M"              (bytes per second, k/M/G decimal; implies the condition)
//   per = "flow"                    (rate_above: flow or program)
//   cooldown = "60s"                (s, m or h; default 60s)
struct AlertConfig {
    std::string name;
    std::string filter;
    std::string condition;
    std::string by = "name";
    double rate_above = 0;  // bytes per second
    bool per_program = false;
    std::int64_t cooldown_ns = 60'000'000'000;
    int line = 0;  // of its [[alert]] header
};

struct UiConfig {
    std::string theme = "default";
    std::vector<std::string> columns;  // empty: the UI's default columns
    std::string sort;                  // empty: the UI's default sort column
    bool sort_descending = true;
    std::string filter;                // filter language text (filter::compile)
    std::string where;                 // the same language, as --where
    int refresh_ms = 1000;
    bool resolve_names = true;
    bool geoip = true;
    std::vector<std::string> geoip_paths;  // empty: the default search path
    bool metrics_countries = false;
    bool bits = false;
    // `record`: true records into the default store, a string into that file.
    bool record = false;
    std::string record_path;
    // `retain` and `max_store`: as --retain and --max-store; unset: defaults.
    std::optional<std::int64_t> retain_ns;
    std::optional<std::uint64_t> max_store_bytes;
    std::vector<AlertConfig> alerts;  // the [[alert]] tables, in file order
};

inline constexpr int kMinRefreshMs = 100;
inline constexpr int kMaxRefreshMs = 60'000;
// A config is a few lines; anything this big is not one.
inline constexpr std::size_t kMaxConfigBytes = 1 << 20;

// Valid theme and column names (`sort` takes a column name). An empty list
// accepts any name.
struct ConfigChoices {
    std::vector<std::string> themes;
    std::vector<std::string> columns;
};

// Reads and checks the file. A missing file gives the defaults and no error;
// an unreadable one fails with the errno's code, an invalid one with
// ErrorCode::bad_format, in one line, e.g.
// "/home/a/.config/sockeye/config.toml:7: expected '=' after key".
core::Result<UiConfig> load_config(const std::string& path, const ConfigChoices& choices = {});

// The same for text already in memory; `source_name` starts error messages.
core::Result<UiConfig> parse_config(std::string_view text, std::string_view source_name,
                                    const ConfigChoices& choices = {});

// $XDG_CONFIG_HOME/sockeye/config.toml, else $HOME/.config/sockeye/config.toml;
// "" when neither variable is usable.
std::string default_config_path();
// The same from given values (null or empty: unset), for tests.
std::string config_path_from(const char* xdg_config_home, const char* home);

}  // namespace sockeye::app
