// Everything the views read besides the snapshot: which tab, toggles, the
// prepared tables, selection and scroll positions, history, the filter
// prompt. Ui owns and updates it; views only read it, so a view is a pure
// function of (ViewState, Snapshot).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "filter/filter.hpp"
#include "snapshot/snapshot.hpp"
#include "tui/history.hpp"
#include "tui/theme.hpp"
#include "tui/ui_options.hpp"
#include "tui/views/connection_table.hpp"
#include "tui/views/listening_table.hpp"
#include "tui/views/process_table.hpp"

namespace sockeye::tui {

struct FilterPrompt {
    // Applied filters kept for ↑/↓ (this run's, the newest last, no repeats).
    static constexpr std::size_t kHistory = 50;

    bool open = false;
    std::string text;                          // what is typed so far
    std::size_t cursor = 0;                    // byte offset into text, on a character's start
    std::optional<core::Error> error;  // the last Enter's complaint
    std::vector<std::string> history;
    std::size_t history_pos = 0;  // the entry shown; history.size(): the line being typed
    std::string draft;            // the line being typed while ↑ shows older ones
};

// K: stopping the selected process, after the user confirms. The first
// confirmation sends SIGTERM, a second one SIGKILL.
struct KillDialog {
    bool open = false;
    std::shared_ptr<const snapshot::ProcessInfo> target;
    bool term_sent = false;  // SIGTERM went out: the next confirmation is SIGKILL
    std::string outcome;     // what the last signal did, or why it failed
    bool failed = false;
};

struct ViewState {
    const Theme* theme = nullptr;
    Tab tab = Tab::overview;
    Tab details_return = Tab::overview;  // where Esc goes back to from details
    bool help_open = false;
    // A: the run's recent alerts over the content; the tab bar counts the
    // ones raised after the list was last opened (sequence above this).
    bool alerts_open = false;
    std::uint64_t alerts_seen = 0;
    std::string notice;  // shown in place of the key hints until the next key
    bool notice_is_news = false;  // what a key did (accent colour), not a problem (error colour)
    int refresh_ms = 1000;

    // Overview.
    std::vector<Column> columns;  // shown, in order
    bool side_panel = true;       // `i` hides it; shown only where the table leaves room
    TableSettings table;
    std::set<std::string> expanded;
    ConnectionTable connections;
    std::size_t connection_selected = 0;  // row index into connections.rows
    std::size_t connection_scroll = 0;

    // Processes.
    std::vector<ProcessRow> processes;
    ProcessColumn process_sort = ProcessColumn::down;
    bool process_sort_reverse = false;
    ProcessGrouping process_grouping = ProcessGrouping::program;
    std::set<std::string> expanded_programs;  // by program: the rows open on their processes
    std::size_t process_selected = 0;
    std::size_t process_scroll = 0;

    // Listening (built while shown).
    std::vector<ListeningRow> listening;
    std::size_t listening_selected = 0;
    std::size_t listening_scroll = 0;

    // Details: the last known record of the connection being shown; `live`
    // says whether it is still in the latest snapshot.
    std::optional<snapshot::FlowRecord> details;
    bool details_live = false;
    std::size_t details_scroll = 0;

    // Pause (Space, P): the tables keep showing the snapshot of the moment
    // while capture goes on. `now_ns` is the newest snapshot's clock (wall
    // time live, else packet time), so the status bar can say for how long.
    bool paused = false;
    std::int64_t paused_since_ns = 0;
    std::int64_t now_ns = 0;
    // After a resume, rows whose traffic moved while paused are marked until then.
    std::int64_t marks_until_ns = 0;
    // `o`: the rows keep their order while their numbers update; new rows go last.
    bool order_frozen = false;

    TrafficHistory history;
    filter::Filter filter;  // the last good filter
    FilterPrompt prompt;
    KillDialog kill;
};

}  // namespace sockeye::tui
