// The four tabs and the help overlay. Each draws into `area` of the buffer
// from the view state and the snapshot, and nothing else; the layout
// functions are shared with Ui so mouse clicks hit what was drawn.
#pragma once

#include <cstddef>
#include <vector>

#include "snapshot/snapshot.hpp"
#include "tui/render/buffer.hpp"
#include "tui/view_state.hpp"
#include "tui/widgets/table.hpp"

namespace sockeye::tui {

struct ScreenLayout {
    int tab_bar_y = 0;
    Rect content;
    int status_y = 0;
};
ScreenLayout screen_layout(int width, int height);

struct OverviewLayout {
    Rect table;       // header row + rows
    Rect panel;       // side panel; width 0 when the screen is too narrow
    int header_y = 0;
    int rows_y = 0;
    std::size_t visible_rows = 0;
    std::vector<TableColumn> columns;  // one per shown Column, in ViewState::columns order
    TableLayout placed;
};
// The columns in `state.columns`, fitted to `state.connections`' cells; the
// side panel takes what room the table leaves (none when hidden with `i`).
OverviewLayout overview_layout(Rect content, const ViewState& state);

struct ProcessesLayout {
    Rect table;
    Rect info;  // the selected process' details below the table (may be empty)
    int header_y = 0;
    int rows_y = 0;
    std::size_t visible_rows = 0;
    std::vector<TableColumn> columns;  // one per ProcessColumn
    TableLayout placed;
};
// The grouping and `T` (totals) only change the column titles.
ProcessesLayout processes_layout(Rect content, const ViewState& state);
// What the Down and Up columns are called: "Down"/"Up" for rates, with `T`
// "Recv"/"Sent" (bytes so far).
std::string_view down_title(bool totals);
std::string_view up_title(bool totals);

// The cell left of a table row: a dot when the row's traffic moved while the
// table was paused (for a few seconds after the resume), else blank.
void draw_mark(Buffer& buf, int x, int y, bool marked, Style row_style, const Theme& theme);

void draw_overview(Buffer& buf, Rect area, const ViewState& state, const snapshot::Snapshot& snap);
void draw_details(Buffer& buf, Rect area, const ViewState& state, const snapshot::Snapshot& snap);
void draw_processes(Buffer& buf, Rect area, const ViewState& state,
                    const snapshot::Snapshot& snap);
void draw_graph(Buffer& buf, Rect area, const ViewState& state, const snapshot::Snapshot& snap);
void draw_listening(Buffer& buf, Rect area, const ViewState& state, const snapshot::Snapshot& snap);
struct ListeningLayout {
    Rect table;
    int header_y = 0;
    int rows_y = 0;
    std::size_t visible_rows = 0;
    std::vector<TableColumn> columns;
    TableLayout placed;
};
ListeningLayout listening_layout(Rect content);
void draw_help_overlay(Buffer& buf, Rect area, Tab tab, const Theme& theme);
// A: the run's recent alerts ([[alert]] rules), newest first: when, rule,
// what, which program; how to set rules up when there are none.
void draw_alerts_overlay(Buffer& buf, Rect area, const std::vector<snapshot::Alert>& alerts,
                         const Theme& theme);
// How many of `alerts` (oldest first) came after sequence `seen`.
std::size_t unseen_alerts(const std::vector<snapshot::Alert>& alerts, std::uint64_t seen);
// K's confirmation: who would be signalled (pid, program, user, command)
// and with what, or what the last signal did.
void draw_kill_dialog(Buffer& buf, Rect area, const KillDialog& dialog, const Theme& theme);

// The lines of the details view (label, value) for `f`, so the view can
// scroll them and tests can check the content; blank label = section title.
struct DetailLine {
    std::string label;
    std::string value;
    bool title = false;
};
std::vector<DetailLine> detail_lines(const snapshot::FlowRecord& f, const ViewState& state,
                                     std::int64_t now_ns);

}  // namespace sockeye::tui
