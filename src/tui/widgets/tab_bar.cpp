#include "tui/widgets/tab_bar.hpp"

#include <string>

#include "tui/widgets/text.hpp"

namespace sockeye::tui {
namespace {

constexpr std::string_view kBrand = " sockeye ";
constexpr std::array<std::string_view, kTabCount> kTitles{"Overview", "Details", "Processes",
                                                          "Graph"};

std::string tab_label(std::size_t i) {
    return " " + std::to_string(i + 1) + " " + std::string(kTitles[i]) + " ";
}

}  // namespace

std::string_view tab_title(Tab t) { return kTitles[static_cast<std::size_t>(t)]; }

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
