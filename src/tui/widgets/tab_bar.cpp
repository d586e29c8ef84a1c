#include "tui/widgets/tab_bar.hpp"

#include <string>

#include "tui/widgets/text.hpp"

namespace sockeye::tui {
namespace {

constexpr std::string_view kBrand = " sockeye ";

// Tab numbers on screen (and the keys 1..n) follow the enum.
constexpr bool tabs_in_enum_order() {
    for (std::size_t i = 0; i < kTabs.size(); ++i)
        if (static_cast<std::size_t>(kTabs[i]) != i) return false;
    return true;
}
static_assert(tabs_in_enum_order(), "kTabs lists the tabs in the order of enum Tab");

std::string tab_label(std::size_t i) {
    return " " + std::to_string(i + 1) + " " + std::string(tab_title(kTabs[i])) + " ";
}

}  // namespace

std::string_view tab_title(Tab t) {
    switch (t) {
        case Tab::overview: return "Overview";
        case Tab::details: return "Details";
        case Tab::processes: return "Processes";
        case Tab::graph: return "Graph";
        case Tab::listening: return "Listening";
    }
    return "";
}

std::array<Rect, kTabCount> tab_rects(int y) {
    std::array<Rect, kTabCount> rects{};
    int x = static_cast<int>(kBrand.size()) + 1;
    for (std::size_t i = 0; i < kTabCount; ++i) {
        const int w = text_width(tab_label(i));
        rects[i] = {x, y, w, 1};
        x += w + 1;
    }
    return rects;
}

void draw_tab_bar(Buffer& buf, int y, Tab active, std::string_view note, const Theme& theme) {
    buf.fill({0, y, buf.width(), 1}, Cell{U' ', theme.tab});
    buf.print(0, y, kBrand, theme.accent);
    const auto rects = tab_rects(y);
    for (std::size_t i = 0; i < kTabCount; ++i) {
        const Style s = static_cast<std::size_t>(active) == i ? theme.tab_active : theme.tab;
        buf.print(rects[i].x, y, tab_label(i), s);
    }
    const int start = rects.back().x + rects.back().width + 2;
    const int room = buf.width() - start - 1;
    if (room > 3 && !note.empty()) {
        const std::string text = fit_text(note, room);
        buf.print(buf.width() - 1 - text_width(text), y, text, theme.tab);
    }
}

}  // namespace sockeye::tui
