#include "tui/widgets/box.hpp"

#include "tui/widgets/text.hpp"

namespace sockeye::tui {

Rect draw_box(Buffer& buf, Rect r, std::string_view title, Style border, Style fill) {
    if (r.width < 2 || r.height < 2) return {r.x, r.y, 0, 0};
    buf.fill(r, Cell{U' ', fill});
    const int right = r.x + r.width - 1;
    const int bottom = r.y + r.height - 1;
    for (int x = r.x + 1; x < right; ++x) {
        buf.set(x, r.y, Cell{U'─', border});
        buf.set(x, bottom, Cell{U'─', border});
    }
    for (int y = r.y + 1; y < bottom; ++y) {
        buf.set(r.x, y, Cell{U'│', border});
        buf.set(right, y, Cell{U'│', border});
    }
    buf.set(r.x, r.y, Cell{U'┌', border});
    buf.set(right, r.y, Cell{U'┐', border});
    buf.set(r.x, bottom, Cell{U'└', border});
    buf.set(right, bottom, Cell{U'┘', border});
    if (!title.empty() && r.width > 4) {
        const std::string t = " " + fit_text(title, r.width - 6) + " ";
        buf.print(r.x + 2, r.y, t, border, r.width - 4);
    }
    return {r.x + 1, r.y + 1, r.width - 2, r.height - 2};
}

}  // namespace sockeye::tui
