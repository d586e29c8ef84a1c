// One thing the user did: a key (with modifiers), a printable character, a
// mouse action, or a paste. The input decoder turns terminal bytes into these;
// views consume them and never see escape sequences.
#pragma once

#include <cstdint>

namespace sockeye::tui {

enum class Key : std::uint8_t {
    none,
    character,  // `ch` holds the code point (letters, digits, '/', ...)
    enter,
    escape,
    tab,
    back_tab,   // Shift+Tab
    backspace,
    del,
    up,
    down,
    left,
    right,
    home,
    end,
    page_up,
    page_down,
    insert,
    f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12,
};

namespace mod {
inline constexpr std::uint8_t shift = 1;
inline constexpr std::uint8_t alt = 2;
inline constexpr std::uint8_t ctrl = 4;  // Ctrl+letter: Key::character with ch = the lowercase letter
}  // namespace mod

enum class MouseAction : std::uint8_t { none, press, release, drag, wheel_up, wheel_down };
enum class MouseButton : std::uint8_t { none, left, middle, right };

struct InputEvent {
    enum class Kind : std::uint8_t { key, mouse };
    Kind kind = Kind::key;
    Key key = Key::none;
    char32_t ch = 0;
    std::uint8_t modifiers = 0;  // mod:: bits
    // Mouse: 0-based cell coordinates.
    MouseAction mouse = MouseAction::none;
    MouseButton button = MouseButton::none;
    int x = 0, y = 0;
    int clicks = 1;  // 2 for a double click (set by whoever tracks timing)
};

// The character `c` typed without Ctrl or Alt (Shift is in `c` itself).
inline bool is_char(const InputEvent& e, char32_t c) {
    return e.key == Key::character && e.ch == c && (e.modifiers & (mod::ctrl | mod::alt)) == 0;
}

}  // namespace sockeye::tui
