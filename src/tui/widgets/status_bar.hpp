// The bottom line: the keys of the current mode, and a note on the right.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "tui/render/buffer.hpp"
#include "tui/theme.hpp"

namespace sockeye::tui {

struct KeyHint {
    std::string_view key;    // "q", "↑↓", "Enter"
    std::string_view label;  // "quit"
};

// Hints that do not fit are left out whole, never cut in half; the note
// takes at most half the width.
void draw_status_bar(Buffer& buf, int y, std::span<const KeyHint> hints, std::string_view note,
                     const Theme& theme);

// A message that must not be missed (the capture failed) in place of the
// hints, in the error colour.
void draw_alert_bar(Buffer& buf, int y, std::string_view message, const Theme& theme);
// What a key just did ("copied remote address: ..."), in place of the hints,
// in the accent colour: news, not a problem.
void draw_info_bar(Buffer& buf, int y, std::string_view message, const Theme& theme);

// The filter prompt in place of the status bar: "Filter: text" with the
// cursor (a reversed cell) at byte offset `cursor`, then the error (if any)
// or `hint`. A text longer than its room is cut around the cursor.
void draw_prompt(Buffer& buf, int y, std::string_view label, std::string_view text,
                 std::size_t cursor, std::string_view error, std::string_view hint,
                 const Theme& theme);

}  // namespace sockeye::tui
