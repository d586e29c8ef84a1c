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

namespace {

// The least a column takes, and what its content asks for.
struct ColumnNeed {
    int least = 0;
    int wanted = 0;  // 0: as much as it is given (up to max_width)
};

ColumnNeed need_of(const TableColumn& c) {
    if (c.content_width < 0 || c.align_right) return {c.min_width, 0};
    // Room for the title and the sort arrow after it.
    const int title = text_width(c.title) + 1;
    const int least = std::max(title, std::min(c.min_width, c.content_width));
    int wanted = std::max(least, c.content_width);
    if (c.max_width > 0) wanted = std::min(wanted, std::max(least, c.max_width));
    return {least, wanted};
}

// Hands `spare` out by weight to the kept columns below their cap; what a
// capped column cannot take goes round again to the others. Returns what is
// left.
template <typename Cap, typename Weight>
int spread(std::vector<int>& widths, const std::vector<bool>& kept, int spare, Cap cap_of,
           Weight weight_of) {
    while (spare > 0) {
        int total_weight = 0;
        for (std::size_t i = 0; i < widths.size(); ++i)
            if (kept[i] && widths[i] < cap_of(i)) total_weight += weight_of(i);
        if (total_weight == 0) break;
        int given = 0;
        for (std::size_t i = 0; i < widths.size() && given < spare; ++i) {
            const int w = weight_of(i);
            if (!kept[i] || w == 0 || widths[i] >= cap_of(i)) continue;
            int share = std::max(1, spare * w / total_weight);
            share = std::min({share, cap_of(i) - widths[i], spare - given});
            widths[i] += share;
            given += share;
        }
        if (given == 0) break;
        spare -= given;
    }
    return spare;
}

}  // namespace

TableLayout layout_table(std::span<const TableColumn> columns, int width) {
    std::vector<ColumnNeed> needs;
    needs.reserve(columns.size());
    for (const auto& c : columns) needs.push_back(need_of(c));
    std::vector<bool> kept(columns.size(), true);
    auto needed = [&] {
        int sum = 0, n = 0;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (!kept[i]) continue;
            sum += needs[i].least;
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
    std::vector<int> widths(columns.size(), 0);
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (kept[i]) widths[i] = needs[i].least;
    constexpr int kUnlimited = 1 << 20;
    const auto max_of = [&](std::size_t i) {
        return columns[i].max_width > 0 ? columns[i].max_width : kUnlimited;
    };
    int spare = width - needed();
    // First the measured columns up to their widest cell (even those of
    // weight 0), then the weighted ones up to their maximum.
    spare = spread(
        widths, kept, spare,
        [&](std::size_t i) { return needs[i].wanted > 0 ? needs[i].wanted : 0; },
        [&](std::size_t i) { return std::max(1, columns[i].weight); });
    spread(
        widths, kept, spare, max_of, [&](std::size_t i) { return columns[i].weight; });
    TableLayout layout;
    int x = 0;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (!kept[i]) continue;
        layout.placed.push_back({i, x, std::min(widths[i], std::max(0, width - x))});
        x += widths[i] + 1;
    }
    return layout;
}

int wanted_table_width(std::span<const TableColumn> columns) {
    int sum = 0;
    for (const auto& c : columns) {
        const ColumnNeed n = need_of(c);
        sum += std::max(n.least, n.wanted);
    }
    return sum + std::max(0, static_cast<int>(columns.size()) - 1);
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
