// Labelled horizontal bars ("TLS  ██████▍   12 MB"), largest first, for the
// breakdowns on the graph tab.
#pragma once

#include <span>
#include <string>

#include "tui/render/buffer.hpp"
#include "tui/theme.hpp"

namespace sockeye::tui {

struct BarItem {
    std::string label;
    double value = 0;
    std::string value_text;  // what to print after the bar
};

// One item per row of `r`, in the given order; bars scale to the largest value.
void draw_bar_list(Buffer& buf, Rect r, std::span<const BarItem> items, const Theme& theme);

}  // namespace sockeye::tui
