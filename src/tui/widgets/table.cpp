#include "tui/widgets/table.hpp"

#include <algorithm>

#include "tui/widgets/text.hpp"

namespace sockeye::tui {

int TableLayout::find(std::size_t column) const {
    for (std::size_t i = 0; i < placed.size(); ++i)
        if (placed[i].column == column) return static_cast<int>(i);
    return -1;
}

int TableLayout::column_at(int x) const {
    for (const auto& p : placed)
        if (x >= p.x && x < p.x + p.width) return static_cast<int>(p.column);
    return -1;
}

TableLayout layout_table(std::span<const TableColumn> columns, int width) {
    std::vector<bool> kept(columns.size(), true);
    auto needed = [&] {
        int sum = 0, n = 0;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (!kept[i]) continue;
            sum += columns[i].min_width;
            ++n;
        }
        return sum + std::max(0, n - 1);
    };
    // Drop the least important column until the rest fit (keep at least one).
    while (needed() > width) {
        int worst = -1;
        int kept_count = 0;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (!kept[i]) continue;
            ++kept_count;
            if (worst < 0 || columns[i].priority > columns[static_cast<std::size_t>(worst)].priority)
                worst = static_cast<int>(i);
        }
        if (kept_count <= 1) break;
        kept[static_cast<std::size_t>(worst)] = false;
    }
    TableLayout layout;
    std::vector<int> widths(columns.size(), 0);
    int total_weight = 0;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (!kept[i]) continue;
        widths[i] = columns[i].min_width;
        total_weight += columns[i].weight;
    }
    // Spread the spare room by weight, respecting maximums; what a capped
    // column cannot take goes round again to the others.
    int spare = width - needed();
    while (spare > 0 && total_weight > 0) {
        int given = 0;
        int next_weight = 0;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (!kept[i] || columns[i].weight == 0) continue;
            const int cap = columns[i].max_width > 0 ? columns[i].max_width : 1 << 20;
            if (widths[i] >= cap) continue;
            int share = std::max(1, spare * columns[i].weight / total_weight);
            share = std::min({share, cap - widths[i], spare - given});
            if (share <= 0) continue;
            widths[i] += share;
            given += share;
            if (widths[i] < cap) next_weight += columns[i].weight;
        }
        if (given == 0) break;
        spare -= given;
        total_weight = next_weight;
    }
    int x = 0;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (!kept[i]) continue;
        layout.placed.push_back({i, x, std::min(widths[i], std::max(0, width - x))});
        x += widths[i] + 1;
    }
    return layout;
}

void draw_table_header(Buffer& buf, int x, int y, int width, std::span<const TableColumn> columns,
                       const TableLayout& layout, Style style, std::optional<std::size_t> sorted,
                       bool ascending) {
    buf.fill({x, y, width, 1}, Cell{U' ', style});
    for (const auto& p : layout.placed) {
        std::string title(columns[p.column].title);
        if (sorted && *sorted == p.column) title += ascending ? "▲" : "▼";
        draw_text(buf, x + p.x, y, p.width, title, style, columns[p.column].align_right);
    }
}

void draw_table_row(Buffer& buf, int x, int y, int width, std::span<const TableColumn> columns,
                    const TableLayout& layout, std::span<const std::string> cells,
                    Style row_style, std::span<const Style> styles) {
    buf.fill({x, y, width, 1}, Cell{U' ', row_style});
    for (const auto& p : layout.placed) {
        const Style s = p.column < styles.size() ? styles[p.column] : row_style;
        const std::string_view text =
            p.column < cells.size() ? std::string_view(cells[p.column]) : std::string_view();
        draw_text(buf, x + p.x, y, p.width, text, s, columns[p.column].align_right);
    }
}

std::size_t scroll_to_show(std::size_t offset, std::size_t selected, std::size_t visible,
                           std::size_t count) {
    if (visible == 0 || count <= visible) return 0;
    if (selected < offset) offset = selected;
    if (selected >= offset + visible) offset = selected - visible + 1;
    return std::min(offset, count - visible);
}

}  // namespace sockeye::tui
