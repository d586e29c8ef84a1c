// What the user can set before the UI starts (command line, config file):
// theme, columns, default sort and filter, and the toggles' starting values.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockeye::tui {

// The overview table's columns, in their display order.
enum class Column : std::uint8_t {
    process,
    local,
    remote,
    country,     // the remote address's country (and city), or its range
    network,     // the remote address's AS number and organisation
    service,
    application,
    state,
    rtt,
    down,        // receive rate
    up,          // send rate
    total_down,  // bytes received
    total_up,    // bytes sent
    pid,         // the owning process' id (off by default)
    age,         // time since the flow's first packet (off by default)
};
inline constexpr std::size_t kColumnCount = 15;

// Config names: "process", "local", "remote", "country", "network", "service",
// "app", "state", "rtt", "down", "up", "total_down", "total_up", "pid", "age".
std::string_view column_name(Column c);
std::optional<Column> column_from_name(std::string_view name);
// Header text ("Process", "Down", ...).
std::string_view column_title(Column c);
// Numeric columns sort largest first and align right.
bool column_is_numeric(Column c);
// Shown unless the config lists the columns: all but the geo ones, which
// need databases (`w` shows them), and PID and Age, which only some want.
std::vector<Column> default_columns();
// The geo columns, in their place after Remote.
bool is_geo_column(Column c);

enum class Tab : std::uint8_t { overview, details, processes, graph, listening };
// Every tab, in order. A new Tab needs a title (tab_title's switch has no
// default, so -Wswitch asks for it) and a place here (tui.TabBar.EveryTitledTabIsListed).
inline constexpr std::array kTabs{Tab::overview, Tab::details, Tab::processes, Tab::graph,
                                  Tab::listening};
inline constexpr std::size_t kTabCount = kTabs.size();

// How the tables are sorted and what the toggle keys show: UiOptions says
// where a session starts, ViewState where the user has taken it, and the
// connection and process tables are built from it.
struct TableSettings {
    Column sort = Column::down;      // the overview's sort column
    bool sort_reverse = false;       // false: numbers largest first, text A to Z
    bool grouped = false;            // `a`: group connections by process
    bool show_ended = false;         // `t`: keep ended flows in the tables
    bool numeric_ports = false;      // `p`: port numbers instead of service names
    bool show_names = true;          // `d`: host names instead of addresses
    bool bits = false;               // `b`: rates and totals in bits (Mb/s, Mb) instead of bytes
    bool totals = false;             // `T`: the Down and Up columns show bytes so far, not rates
    std::int64_t cleared_at_ns = 0;  // `x`: ended flows last seen before this are hidden
};

struct UiOptions {
    std::string theme = "default";  // see theme_names(); NO_COLOR forces "mono"
    bool no_color = false;          // set from no_color_requested() by the caller
    TableSettings table;
    int refresh_ms = 1000;          // how often update() is called (labels the graph)
    std::string filter;             // initial filter (filter language)
    std::vector<Column> columns;    // overview columns in order; empty: default_columns()
    std::size_t history_samples = 600;  // graph history (10 min at 1 refresh/s)
};

// Why `options` cannot be used ("unknown theme 'x'", "bad filter: ..."), or
// empty when they are fine. The UI itself falls back to safe defaults.
std::string check_options(const UiOptions& options);

}  // namespace sockeye::tui
