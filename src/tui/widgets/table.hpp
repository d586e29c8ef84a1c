// A table that fits its width: columns have a minimum width, a share of the
// spare room and a priority; when the screen is narrow the least important
// columns go first. Rows are drawn one at a time so callers only touch the
// rows that are visible.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tui/render/buffer.hpp"

namespace sockeye::tui {

struct TableColumn {
    std::string_view title;
    int min_width = 4;
    int weight = 0;        // share of the spare width (0: stays at min_width)
    int max_width = 0;     // 0: no limit
    bool align_right = false;
    int priority = 0;      // lower is more important; the highest goes first
    // The widest cell of the rows, or -1 when not measured. A measured
    // text column narrows to it (never below its title) and takes spare
    // room up to it first, so a long name is not cut while a column of
    // short ones is padded.
    int content_width = -1;
};

struct PlacedColumn {
    std::size_t column = 0;  // index into the column list
    int x = 0;               // relative to the table's left edge
    int width = 0;
};

struct TableLayout {
    std::vector<PlacedColumn> placed;  // in column order
    // Index into `placed` of a column, or -1 when it was dropped.
    [[nodiscard]] int find(std::size_t column) const;
    // The column under x (relative), or -1.
    [[nodiscard]] int column_at(int x) const;
};

// One space between columns.
TableLayout layout_table(std::span<const TableColumn> columns, int width);
// The width at which every column shows its widest cell (measured columns
// up to their maximum, the others at their minimum), gaps included.
int wanted_table_width(std::span<const TableColumn> columns);

// The header: titles, with ▼/▲ after the sorted column.
void draw_table_header(Buffer& buf, int x, int y, int width, std::span<const TableColumn> columns,
                       const TableLayout& layout, Style style, std::optional<std::size_t> sorted,
                       bool ascending);

// One row: `cells[i]` is column i's text; `styles` (same size) or `row_style`
// for every cell. The gaps take `row_style`.
void draw_table_row(Buffer& buf, int x, int y, int width, std::span<const TableColumn> columns,
                    const TableLayout& layout, std::span<const std::string> cells,
                    Style row_style, std::span<const Style> styles = {});

// First visible row so that `selected` stays on screen, moving as little as
// possible from `offset`.
std::size_t scroll_to_show(std::size_t offset, std::size_t selected, std::size_t visible,
                           std::size_t count);

}  // namespace sockeye::tui
