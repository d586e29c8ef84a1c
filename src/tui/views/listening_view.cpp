// The host's listening sockets: protocol, address and port, the process,
// and whether traffic reached them (connections now, bytes in the snapshot).
#include <algorithm>
#include <array>

#include "tui/format.hpp"
#include "tui/views/views.hpp"
#include "tui/widgets/text.hpp"

namespace sockeye::tui {
namespace {

enum ListeningColumn : std::size_t { proto, local, process, pid, user, conns, received, sent, kCount };

}  // namespace

ListeningLayout listening_layout(Rect content) {
    ListeningLayout l;
    l.table = content;
    l.header_y = content.y;
    l.rows_y = content.y + 1;
    l.visible_rows = static_cast<std::size_t>(std::max(0, content.height - 1));
    l.columns = {{"Proto", 5, 0, 0, false, 1},     {"Local", 22, 2, 48, false, 0},
                 {"Process", 16, 3, 32, false, 0}, {"PID", 7, 0, 0, true, 3},
                 {"User", 8, 1, 16, false, 5},     {"Conns", 6, 0, 0, true, 2},
                 {"Received", 9, 0, 0, true, 4},   {"Sent", 9, 0, 0, true, 4}};
    l.placed = layout_table(l.columns, l.table.width - 1);
    return l;
}

void draw_listening(Buffer& buf, Rect area, const ViewState& state, const snapshot::Snapshot& snap) {
    const Theme& theme = *state.theme;
    const ListeningLayout l = listening_layout(area);
    buf.fill({l.table.x, l.header_y, l.table.width, 1}, Cell{U' ', theme.header});
    draw_table_header(buf, l.table.x + 1, l.header_y, l.table.width - 1, l.columns, l.placed,
                      theme.header, std::nullopt, true);
    const auto& rows = state.listening;
    if (rows.empty()) {
        const char* why = snap.listening_read
                              ? "no listening sockets"
                              : "listening sockets are read live, with process attribution "
                                "(not from a file, not with --no-processes)";
        draw_text(buf, l.table.x + 2, l.rows_y + 1, l.table.width - 3, why, theme.muted);
        return;
    }
    const Units u = units_of(state.table);
    const std::size_t first =
        scroll_to_show(state.listening_scroll, state.listening_selected, l.visible_rows, rows.size());
    const std::size_t end = std::min(rows.size(), first + l.visible_rows);
    for (std::size_t i = first; i < end; ++i) {
        const ListeningRow& r = rows[i];
        const bool selected = i == state.listening_selected;
        // A port nobody reached is shown dimmer: open, but unused in view.
        const Style style = selected ? theme.selected : (r.reached ? theme.base : theme.muted);
        std::array<std::string, kCount> cells{
            listening_proto(r),
            listening_endpoint(r),
            r.process ? (r.process->name.empty() ? r.process->comm : r.process->name) : "unknown",
            r.process ? std::to_string(r.process->pid) : "",
            r.process ? r.process->user : "",
            std::to_string(r.connections),
            format_bytes(r.bytes_in, u),
            format_bytes(r.bytes_out, u)};
        draw_table_row(buf, l.table.x + 1, l.rows_y + static_cast<int>(i - first), l.table.width - 1,
                       l.columns, l.placed, cells, style);
    }
}

}  // namespace sockeye::tui
