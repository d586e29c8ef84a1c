// Text that has to fit a number of columns: clipping with an ellipsis,
// alignment, word wrapping. Widths are terminal columns, not bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tui/render/buffer.hpp"

namespace sockeye::tui {

// `text` cut to at most `width` columns, ending in "…" when it was cut.
std::string fit_text(std::string_view text, int width);
// Draws `text` fitted into [x, x+width), padded with `style` spaces, left or
// right aligned.
void draw_text(Buffer& buf, int x, int y, int width, std::string_view text, Style style,
               bool align_right = false);
// Splits `text` at spaces into lines of at most `width` columns; words longer
// than a line are cut.
std::vector<std::string> wrap_text(std::string_view text, int width);

}  // namespace sockeye::tui
