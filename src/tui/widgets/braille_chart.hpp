// A line chart drawn with braille dots: each cell holds 2x4 dots, so a
// 60-column chart shows 120 samples.
#pragma once

#include <span>

#include "tui/render/buffer.hpp"

namespace sockeye::tui {

// Draws the last 2*r.width `values` (newest at the right edge) scaled so
// `max` reaches the top; consecutive points are joined vertically so the
// line has no gaps. Cells without dots are left untouched.
void draw_braille_chart(Buffer& buf, Rect r, std::span<const double> values, double max,
                        Style style);

}  // namespace sockeye::tui
