#include "tui/widgets/status_bar.hpp"

#include <algorithm>
#include <string>

#include "core/printable_text.hpp"
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

void draw_info_bar(Buffer& buf, int y, std::string_view message, const Theme& theme) {
    buf.fill({0, y, buf.width(), 1}, Cell{U' ', theme.status});
    Style info = theme.accent;
    info.bg = theme.status.bg;
    buf.print(1, y, fit_text(message, buf.width() - 2), info);
}

void draw_prompt(Buffer& buf, int y, std::string_view label, std::string_view text,
                 std::size_t cursor, std::string_view error, std::string_view hint,
                 const Theme& theme) {
    buf.fill({0, y, buf.width(), 1}, Cell{U' ', theme.status});
    int x = 1;
    x += buf.print(x, y, label, theme.status_key);
    cursor = std::min(cursor, text.size());
    // The character under the cursor (a space at the end), shown reversed.
    std::string under = " ";
    std::size_t after_cursor = cursor;
    if (cursor < text.size()) {
        const core::Utf8Char c = core::decode_utf8(text, cursor);
        under.assign(text.substr(cursor, c.length));
        after_cursor = cursor + c.length;
    }
    // Keep the cursor visible: cut the start of a long text, then its end.
    const int room = std::max(1, buf.width() / 2 - x);
    std::string before(text.substr(0, cursor));
    const int under_width = std::max(1, text_width(under));
    while (text_width(before) + under_width > room && !before.empty()) {
        std::size_t cut = 1;
        while (cut < before.size() && (static_cast<unsigned char>(before[cut]) & 0xC0) == 0x80) ++cut;
        before.erase(0, cut);
    }
    x += buf.print(x, y, before, theme.status);
    Style cursor_style = theme.status;
    cursor_style.attrs = static_cast<std::uint8_t>(cursor_style.attrs ^ attr::reverse);
    x += std::max(1, buf.print(x, y, under, cursor_style));
    const int left = room - text_width(before) - under_width;
    if (left > 0 && after_cursor < text.size())
        x += buf.print(x, y, fit_text(text.substr(after_cursor), left), theme.status);
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
