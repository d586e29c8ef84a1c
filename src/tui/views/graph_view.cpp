// Traffic over the last minutes as two braille charts (down, up), and where
// the bytes went: by application protocol and by process.
#include <algorithm>
#include <map>

#include "tui/format.hpp"
#include "tui/history.hpp"
#include "tui/views/views.hpp"
#include "tui/widgets/bar_list.hpp"
#include "tui/widgets/braille_chart.hpp"
#include "tui/widgets/text.hpp"

namespace sockeye::tui {
namespace {

constexpr std::size_t kMaxBars = 12;

void draw_chart(Buffer& buf, Rect r, std::string_view name, const std::vector<double>& values,
                Style line, const Theme& theme, Units units) {
    if (r.height < 2 || r.width < 20) return;
    const int shown = std::min(static_cast<int>(values.size()), (r.width - 11) * 2);
    double peak = 0;
    for (std::size_t i = values.size() - static_cast<std::size_t>(shown); i < values.size(); ++i)
        peak = std::max(peak, values[i]);
    const double now = values.empty() ? 0 : values.back();
    const std::string title = std::string(name) + "  now " + format_rate(now, units) + "  peak " +
                              format_rate(peak, units);
    draw_text(buf, r.x, r.y, r.width, title, theme.accent);
    // The scale on the left, the chart to its right.
    const Rect plot{r.x + 11, r.y + 1, r.width - 11, r.height - 1};
    draw_text(buf, r.x, plot.y, 10, format_rate(peak, units), theme.muted, true);
    draw_text(buf, r.x, plot.y + plot.height - 1, 10, "0", theme.muted, true);
    for (int y = plot.y; y < plot.y + plot.height; ++y) buf.set(plot.x - 1, y, Cell{U'┤', theme.border});
    draw_braille_chart(buf, plot, values, peak, line);
}

std::vector<BarItem> top_items(std::map<std::string, std::uint64_t> bytes, Units units) {
    std::vector<BarItem> items;
    for (auto& [label, total] : bytes)
        items.push_back({label, static_cast<double>(total), format_bytes(total, units)});
    std::sort(items.begin(), items.end(), [](const BarItem& a, const BarItem& b) {
        return a.value != b.value ? a.value > b.value : a.label < b.label;
    });
    if (items.size() > kMaxBars) items.resize(kMaxBars);
    return items;
}

struct Breakdowns {
    std::vector<BarItem> apps, processes;
};

Breakdowns breakdowns(const ViewState& state, const snapshot::Snapshot& snap) {
    std::map<std::string, std::uint64_t> by_app, by_process;
    for (const auto& f : snap.flows) {
        if (!flow_visible(f, state.table.show_ended, state.table.cleared_at_ns)) continue;
        const std::uint64_t total = f.bytes_sent + f.bytes_received;
        by_app[f.app && !f.app->protocol.empty() ? f.app->protocol : "unknown"] += total;
        by_process[process_label(f)] += total;
    }
    const Units units = units_of(state.table);
    return {top_items(std::move(by_app), units), top_items(std::move(by_process), units)};
}

void draw_breakdowns(Buffer& buf, Rect r, const Breakdowns& b, const Theme& theme) {
    const int half = r.width / 2;
    const Rect left{r.x, r.y, half - 1, r.height};
    const Rect right{r.x + half + 1, r.y, r.width - half - 1, r.height};
    draw_text(buf, left.x, left.y, left.width, "By application (bytes)", theme.accent);
    draw_text(buf, right.x, right.y, right.width, "By process (bytes)", theme.accent);
    draw_bar_list(buf, {left.x, left.y + 1, left.width, left.height - 1}, b.apps, theme);
    draw_bar_list(buf, {right.x, right.y + 1, right.width, right.height - 1}, b.processes, theme);
}

}  // namespace

void draw_graph(Buffer& buf, Rect area, const ViewState& state, const snapshot::Snapshot& snap) {
    const Theme& theme = *state.theme;
    const Rect inner{area.x + 1, area.y, area.width - 2, area.height};
    const auto& samples = state.history.samples();
    std::vector<double> down, up;
    down.reserve(samples.size());
    up.reserve(samples.size());
    for (const auto& s : samples) {
        down.push_back(s.down);
        up.push_back(s.up);
    }
    // The breakdowns take the rows they need (up to half the height), the
    // two charts share the rest.
    const Breakdowns b = breakdowns(state, snap);
    const int bar_rows = static_cast<int>(std::max(b.apps.size(), b.processes.size())) + 1;
    const int bars_h = std::min(bar_rows, inner.height / 2);
    const int chart_h = std::max(3, (inner.height - 2 - bars_h) / 2);
    const int span_samples = std::min(static_cast<int>(samples.size()), (inner.width - 11) * 2);
    std::string span = "no history yet";
    if (span_samples > 1) {
        const auto& first = samples[samples.size() - static_cast<std::size_t>(span_samples)];
        span = "last " + format_duration(samples.back().ts_ns - first.ts_ns);
    }
    draw_text(buf, inner.x, inner.y, inner.width,
              "Traffic, " + span + " (one point per " + std::to_string(state.refresh_ms) + " ms)",
              theme.muted);
    draw_chart(buf, {inner.x, inner.y + 1, inner.width, chart_h}, "Down", down, theme.down, theme,
               units_of(state.table));
    draw_chart(buf, {inner.x, inner.y + 1 + chart_h, inner.width, chart_h}, "Up", up, theme.up, theme,
               units_of(state.table));
    const int bars_y = inner.y + 2 + 2 * chart_h;
    const Rect bars{inner.x, bars_y, inner.width, inner.y + inner.height - bars_y};
    if (bars.height >= 2) draw_breakdowns(buf, bars, b, theme);
}

}  // namespace sockeye::tui
