// Driving a Ui in tests: key events, the rendered screen as text, and a UI
// that has seen the fixture's refreshes (the graph's history).
#pragma once

#include <cstdint>
#include <string>

#include "tui/ui.hpp"
#include "unit/tui/ui_fixture.hpp"

namespace sockeye::tui::testing {

inline InputEvent key(Key k, std::uint8_t mods = 0) {
    InputEvent e;
    e.key = k;
    e.modifiers = mods;
    return e;
}

inline InputEvent ch(char32_t c, std::uint8_t mods = 0) {
    InputEvent e;
    e.key = Key::character;
    e.ch = c;
    e.modifiers = mods;
    return e;
}

inline std::string screen(const Ui& ui, int width, int height) {
    Buffer buf(width, height);
    ui.render(buf);
    return buf.to_text();
}

// Ticks 39 down to 0: the last update is the golden state.
inline Ui ui_with_history(int width, int height, const UiOptions& options = {}) {
    Ui ui(options);
    ui.resize(width, height);
    for (int tick = 39; tick >= 0; --tick) ui.update(make_snapshot(tick));
    return ui;
}

}  // namespace sockeye::tui::testing
