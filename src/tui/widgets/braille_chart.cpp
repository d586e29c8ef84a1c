#include "tui/widgets/braille_chart.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sockeye::tui {
namespace {

// Unicode braille: dots 1-3 and 7 down the left column, 4-6 and 8 down the right.
constexpr std::uint8_t kDotBits[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};

}  // namespace

void draw_braille_chart(Buffer& buf, Rect r, std::span<const double> values, double max,
                        Style style) {
    if (r.width <= 0 || r.height <= 0 || values.empty()) return;
    const int dots_w = r.width * 2;
    const int dots_h = r.height * 4;
    std::vector<std::uint8_t> bits(static_cast<std::size_t>(r.width * r.height), 0);
    auto set_dot = [&](int dx, int dy) {  // dy: 0 = bottom
        if (dx < 0 || dx >= dots_w || dy < 0 || dy >= dots_h) return;
        const int row_from_top = dots_h - 1 - dy;
        const int cx = dx / 2, cy = row_from_top / 4;
        bits[static_cast<std::size_t>(cy * r.width + cx)] |= kDotBits[dx % 2][row_from_top % 4];
    };
    const std::size_t n = std::min(values.size(), static_cast<std::size_t>(dots_w));
    const std::size_t first = values.size() - n;
    const int start_x = dots_w - static_cast<int>(n);
    int prev = -1;
    for (std::size_t i = 0; i < n; ++i) {
        const double v = values[first + i];
        double scaled = max > 0 && v > 0 ? v / max : 0;
        scaled = std::clamp(scaled, 0.0, 1.0);
        const int y = static_cast<int>(std::lround(scaled * (dots_h - 1)));
        const int dx = start_x + static_cast<int>(i);
        if (prev < 0) prev = y;
        for (int dy = std::min(prev, y); dy <= std::max(prev, y); ++dy) set_dot(dx, dy);
        prev = y;
    }
    for (int cy = 0; cy < r.height; ++cy) {
        for (int cx = 0; cx < r.width; ++cx) {
            const auto b = bits[static_cast<std::size_t>(cy * r.width + cx)];
            if (b != 0) buf.set(r.x + cx, r.y + cy, Cell{static_cast<char32_t>(0x2800 + b), style});
        }
    }
}

}  // namespace sockeye::tui
