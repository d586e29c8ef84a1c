// Where things go on the screen, shared by drawing and mouse hit tests.
#include <algorithm>

#include "tui/views/views.hpp"

namespace sockeye::tui {
namespace {

// Widths and priorities of the overview columns: the process, the peer and
// the rates survive longest on a narrow screen, then the local end and the
// state, which tell apart a program's many connections to one peer.
TableColumn overview_column(Column c, bool totals) {
    std::string_view t = column_title(c);
    if (c == Column::down) t = down_title(totals);
    if (c == Column::up) t = up_title(totals);
    switch (c) {
        case Column::process: return {t, 13, 2, 28, false, 0};
        case Column::local: return {t, 21, 1, 30, false, 4};
        case Column::remote: return {t, 17, 5, 60, false, 1};
        case Column::country: return {t, 8, 1, 24, false, 11};
        case Column::network: return {t, 14, 3, 40, false, 12};
        case Column::service: return {t, 7, 1, 12, false, 7};
        case Column::application: return {t, 14, 4, 48, false, 6};
        case Column::state: return {t, 11, 0, 0, false, 5};
        case Column::rtt: return {t, 7, 0, 0, true, 8};
        case Column::down: return {t, 9, 0, 0, true, 2};
        case Column::up: return {t, 9, 0, 0, true, 3};
        case Column::total_down: return {t, 11, 0, 0, true, 9};
        case Column::total_up: return {t, 9, 0, 0, true, 10};
        case Column::pid: return {t, 7, 0, 0, true, 13};
        case Column::age: return {t, 7, 0, 0, true, 14};
    }
    return {t, 8, 0, 0, false, 20};
}

TableColumn process_column(ProcessColumn c, ProcessGrouping grouping, bool totals) {
    std::string_view t = process_column_title(c, grouping);
    if (c == ProcessColumn::down) t = down_title(totals);
    if (c == ProcessColumn::up) t = up_title(totals);
    switch (c) {
        case ProcessColumn::name: return {t, 14, 3, 32, false, 0};
        case ProcessColumn::pid: return {t, 7, 0, 0, true, 4};
        case ProcessColumn::user: return {t, 8, 1, 16, false, 8};
        case ProcessColumn::down: return {t, 9, 0, 0, true, 1};
        case ProcessColumn::up: return {t, 9, 0, 0, true, 2};
        case ProcessColumn::peak_down: return {t, 10, 0, 0, true, 6};
        case ProcessColumn::peak_up: return {t, 9, 0, 0, true, 7};
        case ProcessColumn::total_down: return {t, 11, 0, 0, true, 3};
        case ProcessColumn::total_up: return {t, 9, 0, 0, true, 5};
        case ProcessColumn::connections: return {t, 6, 0, 0, true, 4};
        case ProcessColumn::peers: return {t, 16, 5, 0, false, 9};
    }
    return {t, 8, 0, 0, false, 20};
}

}  // namespace

ScreenLayout screen_layout(int width, int height) {
    ScreenLayout l;
    l.tab_bar_y = 0;
    l.status_y = std::max(0, height - 1);
    l.content = {0, 1, width, std::max(0, height - 2)};
    return l;
}

OverviewLayout overview_layout(Rect content, const ViewState& state) {
    OverviewLayout l;
    for (Column c : state.columns) {
        TableColumn col = overview_column(c, state.table.totals);
        col.content_width = state.connections.content_widths[static_cast<std::size_t>(c)];
        l.columns.push_back(col);
    }
    // The panel takes what the table leaves once every cell fits (a margin
    // left of the table and one before the panel), and only when it is wide
    // enough to be read.
    constexpr int kPanelMin = 26;
    constexpr int kPanelMax = 40;
    int panel_w = 0;
    if (state.side_panel) {
        const int room = content.width - wanted_table_width(l.columns) - 2;
        if (room >= kPanelMin) panel_w = std::min(room, kPanelMax);
    }
    l.table = {content.x, content.y, content.width - panel_w, content.height};
    l.panel = {content.x + content.width - panel_w, content.y, panel_w, content.height};
    l.header_y = content.y;
    l.rows_y = content.y + 1;
    l.visible_rows = static_cast<std::size_t>(std::max(0, content.height - 1));
    l.placed = layout_table(l.columns, l.table.width - (panel_w > 0 ? 2 : 1));
    return l;
}

std::string_view down_title(bool totals) { return totals ? "Recv" : "Down"; }
std::string_view up_title(bool totals) { return totals ? "Sent" : "Up"; }

ProcessesLayout processes_layout(Rect content, const ViewState& state) {
    ProcessesLayout l;
    // Room for the selected process' details when the screen is tall enough.
    const int info_h = content.height >= 20 ? 7 : 0;
    l.table = {content.x, content.y, content.width, content.height - info_h};
    l.info = {content.x, content.y + l.table.height, content.width, info_h};
    l.header_y = content.y;
    l.rows_y = content.y + 1;
    l.visible_rows = static_cast<std::size_t>(std::max(0, l.table.height - 1));
    for (std::size_t i = 0; i < kProcessColumnCount; ++i)
        l.columns.push_back(
            process_column(static_cast<ProcessColumn>(i), state.process_grouping, state.table.totals));
    l.placed = layout_table(l.columns, l.table.width - 1);
    return l;
}

void draw_mark(Buffer& buf, int x, int y, bool marked, Style row_style, const Theme& theme) {
    if (!marked) {
        buf.set(x, y, Cell{U' ', row_style});
        return;
    }
    // On the row's background, so a selected row stays one bar; bold for mono.
    Style s = row_style;
    s.fg = theme.accent.fg;
    s.attrs |= attr::bold;
    buf.set(x, y, Cell{U'•', s});
}

}  // namespace sockeye::tui
