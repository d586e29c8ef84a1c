// A framed area with a title, for overlays and panels.
#pragma once

#include <string_view>

#include "tui/render/buffer.hpp"

namespace sockeye::tui {

// Fills `r` with `fill`, draws a single-line frame in `border` and the title
// in the top edge. Returns the inner area.
Rect draw_box(Buffer& buf, Rect r, std::string_view title, Style border, Style fill);

}  // namespace sockeye::tui
