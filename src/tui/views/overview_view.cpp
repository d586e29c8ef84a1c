// The connection table (flat or grouped by process) and the side panel.
#include <algorithm>
#include <array>

#include "tui/views/views.hpp"
#include "tui/widgets/side_panel.hpp"
#include "tui/widgets/text.hpp"

namespace sockeye::tui {
namespace {

Style row_style(const ConnectionRow& row, bool selected, const Theme& theme) {
    if (selected) return theme.selected;
    if (row.ended) return theme.ended;
    const Style base = row.kind == ConnectionRow::Kind::group ? theme.group : theme.base;
    return fade(theme, base, row.fade);
}

// A group's label may run on over the empty cells to its right (a group has
// no local address, service or state), so long process names stay readable.
void draw_group_label(Buffer& buf, const OverviewLayout& l, int y,
                      const std::vector<std::string>& cells, Style style) {
    const int at = l.placed.find(0);
    if (at < 0) return;
    const auto& first = l.placed.placed[static_cast<std::size_t>(at)];
    int end = l.table.width - 1;
    for (std::size_t i = static_cast<std::size_t>(at) + 1; i < l.placed.placed.size(); ++i) {
        if (!cells[l.placed.placed[i].column].empty()) {
            end = l.placed.placed[i].x - 1;
            break;
        }
    }
    draw_text(buf, l.table.x + 1 + first.x, y, end - first.x, cells[first.column], style);
}

void draw_row(Buffer& buf, const OverviewLayout& l, int y, const ConnectionRow& row,
              bool selected, bool last_in_group, const ViewState& state,
              const snapshot::Snapshot& snap) {
    const Theme& theme = *state.theme;
    const Style style = row_style(row, selected, theme);
    std::vector<std::string> cells;
    std::vector<Style> styles;
    cells.reserve(state.columns.size());
    styles.reserve(state.columns.size());
    for (Column c : state.columns) {
        std::string text = row_cell(snap, row, c, state.table);
        Style s = style;
        if (c == Column::process) {
            if (row.kind == ConnectionRow::Kind::group) {
                text = (row.expanded ? "▾ " : "▸ ") + text;
            } else if (state.table.grouped) {
                // Members sit under their group; the name is the group's.
                text = std::string(last_in_group ? "  └ " : "  ├ ") +
                       std::string(snapshot::protocol_name(row.protocol));
            }
        }
        if (!selected && !row.ended && (c == Column::down || c == Column::up)) {
            s = fade(theme, c == Column::down ? theme.down : theme.up, row.fade);
            if (row.kind == ConnectionRow::Kind::group) s.attrs = style.attrs;
        }
        cells.push_back(std::move(text));
        styles.push_back(s);
    }
    draw_table_row(buf, l.table.x + 1, y, l.table.width - 1, l.columns, l.placed, cells, style,
                   styles);
    draw_mark(buf, l.table.x, y, row.marked, style, theme);
    // Only when the process column comes first, as it does by default.
    if (row.kind == ConnectionRow::Kind::group && !state.columns.empty() &&
        state.columns.front() == Column::process)
        draw_group_label(buf, l, y, cells, style);
}

void draw_empty(Buffer& buf, const OverviewLayout& l, const ViewState& state) {
    const Theme& theme = *state.theme;
    std::string text = "no connections";
    if (state.connections.flows_total > 0) {
        text = "no connections match the filter '" + state.filter.text() + "'";
    } else if (!state.table.show_ended) {
        text += " (t shows ended flows)";
    }
    const int y = l.rows_y + 1;
    if (y < l.table.y + l.table.height) draw_text(buf, l.table.x + 2, y, l.table.width - 3, text, theme.muted);
}

// Sorted by a column that is not shown (left out, or dropped for room):
// the header says by what, at its right end, over the last columns' titles.
void draw_hidden_sort(Buffer& buf, const OverviewLayout& l, const ViewState& state, bool ascending) {
    std::string_view title = column_title(state.table.sort);
    if (state.table.sort == Column::down) title = down_title(state.table.totals);
    if (state.table.sort == Column::up) title = up_title(state.table.totals);
    const std::string text = std::string(" sorted by ") + std::string(title) +
                             (ascending ? "▲ " : "▼ ");
    const int w = std::min(text_width(text), l.table.width - 1);
    if (w <= 0) return;
    draw_text(buf, l.table.x + l.table.width - w, l.header_y, w, text, state.theme->header);
}

}  // namespace

void draw_overview(Buffer& buf, Rect area, const ViewState& state, const snapshot::Snapshot& snap) {
    const Theme& theme = *state.theme;
    const OverviewLayout l = overview_layout(area, state);
    // Which shown column is sorted (the header marks it).
    std::optional<std::size_t> sorted;
    for (std::size_t i = 0; i < state.columns.size(); ++i)
        if (state.columns[i] == state.table.sort) sorted = i;
    // Numbers sort largest first by default, text A to Z.
    const bool ascending = column_is_numeric(state.table.sort) == state.table.sort_reverse;
    buf.fill({l.table.x, l.header_y, l.table.width, 1}, Cell{U' ', theme.header});
    draw_table_header(buf, l.table.x + 1, l.header_y, l.table.width - 1, l.columns, l.placed,
                      theme.header, sorted, ascending);
    if (!sorted || l.placed.find(*sorted) < 0) draw_hidden_sort(buf, l, state, ascending);
    const auto& rows = state.connections.rows;
    if (rows.empty()) draw_empty(buf, l, state);
    // The stored offset is a preference; the selection must be visible at
    // whatever size we are drawn.
    const std::size_t first = scroll_to_show(state.connection_scroll, state.connection_selected,
                                             l.visible_rows, rows.size());
    const std::size_t end = std::min(rows.size(), first + l.visible_rows);
    for (std::size_t i = first; i < end; ++i) {
        const int y = l.rows_y + static_cast<int>(i - first);
        const bool last_in_group = i + 1 >= rows.size() || rows[i + 1].kind != ConnectionRow::Kind::flow;
        draw_row(buf, l, y, rows[i], i == state.connection_selected, last_in_group, state, snap);
    }
    if (l.panel.width > 0) draw_side_panel(buf, l.panel, snap, theme, units_of(state.table));
}

}  // namespace sockeye::tui
