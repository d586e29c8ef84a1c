// The Alerts list (A), centred over the content like the help.
#include <algorithm>
#include <string>

#include "tui/format.hpp"
#include "tui/views/views.hpp"
#include "tui/widgets/box.hpp"
#include "tui/widgets/text.hpp"

namespace sockeye::tui {

std::size_t unseen_alerts(const std::vector<snapshot::Alert>& alerts, std::uint64_t seen) {
    // Oldest first: count back from the newest.
    std::size_t n = 0;
    for (auto it = alerts.rbegin(); it != alerts.rend() && it->sequence > seen; ++it) ++n;
    return n;
}

void draw_alerts_overlay(Buffer& buf, Rect area, const std::vector<snapshot::Alert>& alerts,
                         const Theme& theme) {
    const int width = std::min(area.width - 4, 110);
    const int wanted = std::max<int>(3, static_cast<int>(alerts.size())) + 4;
    const int height = std::min(area.height, wanted);
    if (width < 30 || height < 5) return;
    const Rect box{area.x + (area.width - width) / 2, area.y + (area.height - height) / 2, width,
                   height};
    const std::string title = "Alerts: " + std::to_string(alerts.size()) + " recent, newest first";
    const Rect inner = draw_box(buf, box, title, theme.border, theme.base);
    const int x = inner.x + 2;
    const int w = inner.width - 4;
    int y = inner.y + 1;
    if (alerts.empty()) {
        draw_text(buf, x, y, w, "no alerts in this run", theme.muted);
        draw_text(buf, x, y + 1, w, "rules: [[alert]] tables in the config file (man sockeye, ALERTS)",
                  theme.muted);
        return;
    }
    // time, rule, condition, program, then what it is about.
    constexpr int kTime = 8, kRule = 16, kCondition = 15, kProgram = 16;
    const int detail_x = x + kTime + kRule + kCondition + kProgram + 4;
    for (auto it = alerts.rbegin(); it != alerts.rend() && y < inner.y + inner.height - 1; ++it, ++y) {
        draw_text(buf, x, y, kTime, format_clock(it->ts_ns).substr(0, 8), theme.muted);
        draw_text(buf, x + kTime + 1, y, kRule, it->rule, theme.accent);
        draw_text(buf, x + kTime + kRule + 2, y, kCondition, it->condition, theme.base);
        draw_text(buf, x + kTime + kRule + kCondition + 3, y, kProgram,
                  it->program.empty() ? "-" : it->program, theme.base);
        if (detail_x < x + w) draw_text(buf, detail_x, y, x + w - detail_x, it->detail, theme.error);
    }
}

}  // namespace sockeye::tui
