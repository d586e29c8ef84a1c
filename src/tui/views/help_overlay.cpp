// A box over the current tab listing its keys (`?` or F1; any key closes it).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "tui/views/views.hpp"
#include "tui/widgets/box.hpp"
#include "tui/widgets/tab_bar.hpp"
#include "tui/widgets/text.hpp"

namespace sockeye::tui {
namespace {

using Keys = std::vector<std::pair<std::string_view, std::string_view>>;

Keys tab_keys(Tab tab) {
    switch (tab) {
        case Tab::overview:
            return {{"j k ↑ ↓", "move the selection"},
                    {"PgUp PgDn g G", "page up / down, first / last"},
                    {"Enter", "details of the connection; open or close a group"},
                    {"← →", "open or close a process group"},
                    {"Space P / o", "pause the table (capture goes on) / keep its order"},
                    {"s / S", "sort by the next column / reverse the order"},
                    {"/", "filter, e.g. process:curl or port:443 and not dns"},
                    {"a", "group connections by process"},
                    {"t", "show ended connections"},
                    {"p / d", "port numbers or services / addresses or host names"},
                    {"c", "copy: remote address, name, server name, command"},
                    {"K", "stop the connection's process (--allow-kill; asks)"},
                    {"w / i", "country and network columns (geo) / the side panel"},
                    {"x", "clear ended connections and history"},
                    {"mouse", "click selects, double-click opens, wheel scrolls"}};
        case Tab::details:
            return {{"j k ↑ ↓", "scroll"},
                    {"PgUp PgDn g G", "page up / down, top / bottom"},
                    {"Esc", "back to the table"},
                    {"c", "copy: remote address, name, server name, command"},
                    {"p d", "port numbers, host names"}};
        case Tab::processes:
            return {{"j k ↑ ↓", "move the selection"},
                    {"PgUp PgDn Home G", "page up / down, first / last"},
                    {"g", "rows by program, pid, container (or pod), remote host"},
                    {"Enter → ←", "open or close a program on its pids"},
                    {"Enter", "a pid's (or container's) connections"},
                    {"Space P / o", "pause the table (capture goes on) / keep its order"},
                    {"s / S", "sort by the next column / reverse the order"},
                    {"c", "copy: command line, program, pid (each press the next)"},
                    {"K", "stop the selected process (--allow-kill; asks)"},
                    {"/", "filter the connections counted, e.g. container:web"},
                    {"x", "clear peaks and history"}};
        case Tab::graph:
            return {{"x", "clear the history"},
                    {"t", "count ended connections in the breakdowns"}};
        case Tab::listening:
            return {{"j k ↑ ↓", "move the selection"},
                    {"Enter", "the connections to the selected port"},
                    {"K", "stop the socket's process (--allow-kill; asks)"},
                    {"c", "copy: address and port, then the command line"}};
    }
    return {};
}

const Keys kCommon{{"Tab 1-5 / A", "switch tab / the alerts ([[alert]] rules)"},
                   {"b / T", "bytes (MB/s) or bits (Mb/s) / Down, Up as totals"},
                   {"? F1 / q", "this help / quit"}};

}  // namespace

void draw_help_overlay(Buffer& buf, Rect area, Tab tab, const Theme& theme) {
    Keys keys = tab_keys(tab);
    keys.emplace_back("", "");
    keys.insert(keys.end(), kCommon.begin(), kCommon.end());
    const int width = std::min(area.width - 4, 72);
    // A blank line above and below the keys when there is room for them; at
    // 80x24 the box takes the whole height and every key still shows.
    const int lines = static_cast<int>(keys.size());
    const int height = std::min(area.height, lines + 4);
    const int pad = height >= lines + 4 ? 1 : 0;
    if (width < 20 || height < 4) return;
    const Rect box{area.x + (area.width - width) / 2, area.y + (area.height - height) / 2, width,
                   height};
    const std::string title = "Help: " + std::string(tab_title(tab));
    const Rect inner = draw_box(buf, box, title, theme.border, theme.base);
    constexpr int kKeyWidth = 15;
    int y = inner.y + pad;
    for (const auto& [key, what] : keys) {
        if (y >= inner.y + inner.height - pad) break;
        draw_text(buf, inner.x + 2, y, kKeyWidth, key, theme.accent);
        draw_text(buf, inner.x + 3 + kKeyWidth, y, inner.width - kKeyWidth - 4, what, theme.base);
        ++y;
    }
}

}  // namespace sockeye::tui
