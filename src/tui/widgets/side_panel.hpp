// The overview's right-hand panel: interface rates, capture drops, TCP
// health totals, and what process attribution cannot see.
#pragma once

#include "snapshot/snapshot.hpp"
#include "tui/format.hpp"
#include "tui/render/buffer.hpp"
#include "tui/theme.hpp"

namespace sockeye::tui {

void draw_side_panel(Buffer& buf, Rect r, const snapshot::Snapshot& snap, const Theme& theme,
                     Units units = Units::bytes);

}  // namespace sockeye::tui
