// K's confirmation box, centred over the content.
#include <algorithm>
#include <string>

#include "tui/views/views.hpp"
#include "tui/widgets/box.hpp"
#include "tui/widgets/text.hpp"

namespace sockeye::tui {

void draw_kill_dialog(Buffer& buf, Rect area, const KillDialog& dialog, const Theme& theme) {
    if (!dialog.target) return;
    const snapshot::ProcessInfo& p = *dialog.target;
    const int width = std::min(area.width - 4, 72);
    constexpr int kHeight = 9;
    if (width < 30 || area.height < kHeight) return;
    const Rect box{area.x + (area.width - width) / 2, area.y + (area.height - kHeight) / 2, width,
                   kHeight};
    const Rect inner = draw_box(buf, box, dialog.term_sent ? "Kill the process" : "Stop the process",
                                theme.border, theme.base);
    const int x = inner.x + 2;
    const int w = inner.width - 4;
    const std::string name = p.name.empty() ? p.comm : p.name;
    draw_text(buf, x, inner.y + 1, w,
              name + "   pid " + std::to_string(p.pid) + "   user " + p.user, theme.accent);
    draw_text(buf, x, inner.y + 2, w, p.cmdline.empty() ? p.exe : p.cmdline, theme.muted);
    if (!dialog.outcome.empty())
        draw_text(buf, x, inner.y + 4, w, dialog.outcome, dialog.failed ? theme.error : theme.good);
    const std::string keys = dialog.term_sent
                                 ? "y send SIGKILL (cannot be caught) · Esc close"
                                 : "y send SIGTERM · Esc cancel";
    draw_text(buf, x, inner.y + inner.height - 1, w, keys, theme.base);
}

}  // namespace sockeye::tui
