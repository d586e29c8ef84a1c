#include "tui/widgets/bar_list.hpp"

#include <algorithm>
#include <cmath>

#include "tui/widgets/text.hpp"

namespace sockeye::tui {

void draw_bar_list(Buffer& buf, Rect r, std::span<const BarItem> items, const Theme& theme) {
    if (r.width < 10 || r.height <= 0) return;
    double max = 0;
    int label_w = 0, value_w = 0;
    for (const auto& it : items) {
        max = std::max(max, it.value);
        label_w = std::max(label_w, text_width(it.label));
        value_w = std::max(value_w, text_width(it.value_text));
    }
    label_w = std::min(label_w, r.width / 3);
    const int bar_w = r.width - label_w - value_w - 2;
    const std::size_t rows = std::min(items.size(), static_cast<std::size_t>(r.height));
    for (std::size_t i = 0; i < rows; ++i) {
        const auto& it = items[i];
        const int y = r.y + static_cast<int>(i);
        draw_text(buf, r.x, y, label_w, it.label, theme.base);
        if (bar_w > 0 && max > 0) {
            // Eighths of a cell, so small differences still show.
            const double frac = std::clamp(it.value / max, 0.0, 1.0);
            const long eighths = std::lround(frac * bar_w * 8);
            int x = r.x + label_w + 1;
            for (long e = 0; e + 8 <= eighths; e += 8) buf.set(x++, y, Cell{U'█', theme.bar});
            const long rest = eighths % 8;
            if (rest > 0) buf.set(x, y, Cell{static_cast<char32_t>(0x2590 - rest), theme.bar});
        }
        draw_text(buf, r.x + r.width - value_w, y, value_w, it.value_text, theme.muted, true);
    }
}

}  // namespace sockeye::tui
