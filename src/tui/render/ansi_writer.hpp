// Turns two cell buffers into the bytes that take the terminal from the first
// to the second: only changed cells, the fewest cursor moves we can cheaply
// find, an SGR only when the style changes, one synchronized-output block per
// frame. The only place in sockeye that emits escape sequences for drawing.
#pragma once

#include <string>
#include <vector>

#include "tui/render/buffer.hpp"
#include "tui/render/color_mode.hpp"

namespace sockeye::tui {

// Cells [x, x + width) of row y differ between two frames. Runs never start
// on the right half of a wide character nor end between its two halves.
struct ChangedRun {
    int y = 0;
    int x = 0;
    int width = 0;
    friend constexpr bool operator==(const ChangedRun&, const ChangedRun&) = default;
};

// The changed runs from `previous` to `next` (same size), row by row, left to
// right. Buffers of different sizes: every cell of `next` counts as changed.
std::vector<ChangedRun> diff_buffers(const Buffer& previous, const Buffer& next);

// The bytes that draw `next` on a terminal showing `previous`. Null
// `previous` or a size change: a full redraw (clear, then every non-blank
// cell). No change at all: an empty string, so the caller can skip the write.
// Otherwise the frame is wrapped in ESC[?2026h ... ESC[?2026l and leaves the
// pen reset (ESC[0m) so nothing else written later inherits a colour.
// Assumes autowrap is on and the cursor hidden; makes no assumption about
// where the cursor or the pen were before the frame.
std::string render_frame(const Buffer* previous, const Buffer& next, ColorMode mode);
// Same, appending to `out` (lets the main loop reuse one allocation).
void append_frame(std::string& out, const Buffer* previous, const Buffer& next, ColorMode mode);

// The SGR sequence selecting `style` as seen in `mode`, always starting with
// a reset ("\x1b[0;1;38;5;208m"); "\x1b[0m" for the default style.
std::string sgr_for(const Style& style, ColorMode mode);

}  // namespace sockeye::tui
