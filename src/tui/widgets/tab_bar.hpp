// The top line: the program name, the four tabs and a note on the right.
#pragma once

#include <array>
#include <string_view>

#include "tui/render/buffer.hpp"
#include "tui/theme.hpp"
#include "tui/ui_options.hpp"

namespace sockeye::tui {

// Where each tab's label sits on row `y` (for mouse clicks).
std::array<Rect, kTabCount> tab_rects(int y);
std::string_view tab_title(Tab t);

void draw_tab_bar(Buffer& buf, int y, Tab active, std::string_view note, const Theme& theme);

}  // namespace sockeye::tui
