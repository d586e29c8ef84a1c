#include "tui/widgets/status_bar.hpp"

#include <algorithm>
#include <string>

#include "tui/widgets/text.hpp"

namespace sockeye::tui {

void draw_status_bar(Buffer& buf, int y, std::span<const KeyHint> hints, std::string_view note,
                     const Theme& theme) {
    buf.fill({0, y, buf.width(), 1}, Cell{U' ', theme.status});
    const std::string right = note.empty() ? std::string() : fit_text(note, buf.width() / 2);
    const int limit = buf.width() - (right.empty() ? 0 : text_width(right) + 2);
    int x = 1;
    for (const auto& h : hints) {
        const int w = text_width(h.key) + 1 + text_width(h.label);
        if (x + w > limit) break;
        x += buf.print(x, y, h.key, theme.status_key);
        x += buf.print(x, y, " ", theme.status);
        x += buf.print(x, y, h.label, theme.status);
        x += 2;
    }
    if (!right.empty()) buf.print(buf.width() - 1 - text_width(right), y, right, theme.status);
}

void draw_alert_bar(Buffer& buf, int y, std::string_view message, const Theme& theme) {
    buf.fill({0, y, buf.width(), 1}, Cell{U' ', theme.status});
    Style alert = theme.error;
    alert.bg = theme.status.bg;
    buf.print(1, y, fit_text(message, buf.width() - 2), alert);
}

void draw_prompt(Buffer& buf, int y, std::string_view label, std::string_view text,
                 std::string_view error, std::string_view hint, const Theme& theme) {
    buf.fill({0, y, buf.width(), 1}, Cell{U' ', theme.status});
    int x = 1;
    x += buf.print(x, y, label, theme.status_key);
    // Keep the end of a long text (where the cursor is) visible.
    const int room = std::max(1, buf.width() / 2 - x);
    std::string shown(text);
    while (text_width(shown) > room && !shown.empty()) {
        std::size_t cut = 1;
        while (cut < shown.size() && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) ++cut;
        shown.erase(0, cut);
    }
    x += buf.print(x, y, shown, theme.status);
    Style cursor = theme.status;
    cursor.attrs = static_cast<std::uint8_t>(cursor.attrs ^ attr::reverse);
    buf.set(x++, y, Cell{U' ', cursor});
    x += 2;
    if (!error.empty()) {
        Style err = theme.error;
        err.bg = theme.status.bg;
        buf.print(x, y, fit_text(error, buf.width() - x - 1), err);
    } else if (!hint.empty() && x + text_width(hint) < buf.width()) {
        buf.print(buf.width() - 1 - text_width(hint), y, hint, theme.status);
    }
}

}  // namespace sockeye::tui
