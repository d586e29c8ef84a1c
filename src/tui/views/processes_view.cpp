// Per process: rates now and at their peak, totals, connections, top peers;
// below the table, who the selected process is.
#include <algorithm>
#include <array>

#include "tui/format.hpp"
#include "tui/views/views.hpp"
#include "tui/widgets/text.hpp"

namespace sockeye::tui {
namespace {

std::string comma_joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

// `last_member`: the last process under its program (└ rather than ├).
std::array<std::string, kProcessColumnCount> cells_of(const ProcessRow& r, ProcessGrouping grouping,
                                                      bool last_member, Units u, bool totals) {
    const std::string peers = comma_joined(r.top_peers);
    const bool by_container = grouping == ProcessGrouping::container;
    std::string pid = r.process ? std::to_string(r.process->pid) : "-";
    std::string user = r.process ? r.process->user : "";
    std::string label = r.label;
    if (by_container) {
        pid = std::to_string(r.process_count);
        user = r.process ? r.process->container_image : "";
    } else if (grouping == ProcessGrouping::remote_host) {
        pid = std::to_string(r.process_count);
        user = r.top_countries.empty() ? "" : r.top_countries.front();
    } else if (grouping == ProcessGrouping::program && r.member) {
        label = std::string(last_member ? "  └ " : "  ├ ") + r.label;
    } else if (grouping == ProcessGrouping::program) {
        // A program's processes open below it; unattributed rows have none.
        if (r.process) {
            pid = std::to_string(r.process_count);
            label = (r.expanded ? "▾ " : "▸ ") + r.label;
        }
    }
    return {std::move(label),
            std::move(pid),
            std::move(user),
            totals ? format_bytes(r.total_down, u) : format_rate(r.down, u),
            totals ? format_bytes(r.total_up, u) : format_rate(r.up, u),
            format_rate(r.peak.down, u),
            format_rate(r.peak.up, u),
            format_bytes(r.total_down, u),
            format_bytes(r.total_up, u),
            std::to_string(r.connections),
            peers};
}

// A container's row: who it is and which processes talk in it.
void container_lines(const ProcessRow& row, std::vector<std::pair<std::string, std::string>>& lines) {
    if (row.process) {
        const auto& p = *row.process;
        lines.emplace_back("container", format_container(p));
        if (!p.container_image.empty()) lines.emplace_back("image", p.container_image);
        if (const std::string pod = format_pod(p); !pod.empty()) lines.emplace_back("pod", pod);
        lines.emplace_back("id", p.container);
    }
    lines.emplace_back("processes", row.members.empty() ? "-" : comma_joined(row.members));
}

// A remote host's row: where it is and which programs talk to it.
void host_lines(const ProcessRow& row, std::vector<std::pair<std::string, std::string>>& lines) {
    const std::string address = row.key.substr(row.key.find(':') + 1);
    lines.emplace_back("address", address);
    if (row.label != address) lines.emplace_back("name", row.label);
    lines.emplace_back("programs", row.members.empty() ? "-" : comma_joined(row.members));
    if (!row.top_countries.empty()) lines.emplace_back("where", row.top_countries.front());
    if (!row.top_networks.empty()) lines.emplace_back("network", row.top_networks.front());
}

void draw_info(Buffer& buf, Rect r, const ProcessRow& row, ProcessGrouping grouping, const Theme& theme) {
    if (r.height < 2) return;
    buf.fill({r.x, r.y, r.width, 1}, Cell{U'─', theme.border});
    buf.print(r.x + 2, r.y, " " + fit_text(row.label, r.width - 6) + " ", theme.accent);
    std::vector<std::pair<std::string, std::string>> lines;
    if (grouping == ProcessGrouping::container) {
        container_lines(row, lines);
    } else if (grouping == ProcessGrouping::remote_host) {
        host_lines(row, lines);
    } else if (grouping == ProcessGrouping::program && !row.member && row.process) {
        // Every process of the program; the first one's command line and user.
        const auto& p = *row.process;
        lines.emplace_back("processes", row.members.empty() ? "-" : comma_joined(row.members));
        lines.emplace_back("exe", p.exe.empty() ? "-" : p.exe);
        lines.emplace_back("command", p.cmdline.empty() ? "-" : p.cmdline);
        lines.emplace_back("user", p.user + " (" + std::to_string(p.uid) + ")");
        if (const std::string container = format_container(p); !container.empty())
            lines.emplace_back("container", container);
    } else if (!row.process) {
        lines.emplace_back("owner", "no process: " + row.label);
    } else {
        const auto& p = *row.process;
        lines.emplace_back("exe", p.exe.empty() ? "-" : p.exe);
        lines.emplace_back("command", p.cmdline.empty() ? "-" : p.cmdline);
        lines.emplace_back("user", p.user + " (" + std::to_string(p.uid) + ")");
        std::string chain;
        for (const auto& parent : p.parents)
            chain += (chain.empty() ? "" : " ← ") + parent.name + " (" + std::to_string(parent.pid) + ")";
        lines.emplace_back("parents", chain.empty() ? "-" : chain);
        if (const std::string container = format_container(p); !container.empty())
            lines.emplace_back("container", container);
    }
    if (grouping != ProcessGrouping::remote_host) {
        const std::string peers = comma_joined(row.top_peers);
        lines.emplace_back("top peers", peers.empty() ? "-" : peers);
        if (!row.top_countries.empty()) lines.emplace_back("countries", comma_joined(row.top_countries));
        if (!row.top_networks.empty()) lines.emplace_back("networks", comma_joined(row.top_networks));
    }
    int y = r.y + 1;
    for (const auto& [label, value] : lines) {
        if (y >= r.y + r.height) break;
        draw_text(buf, r.x + 2, y, 11, label, theme.muted);
        draw_text(buf, r.x + 14, y, r.width - 15, value, theme.base);
        ++y;
    }
}

}  // namespace

void draw_processes(Buffer& buf, Rect area, const ViewState& state,
                    const snapshot::Snapshot& /*snap*/) {
    const Theme& theme = *state.theme;
    const ProcessesLayout l = processes_layout(area, state);
    const bool ascending = process_column_is_numeric(state.process_sort) == state.process_sort_reverse;
    buf.fill({l.table.x, l.header_y, l.table.width, 1}, Cell{U' ', theme.header});
    draw_table_header(buf, l.table.x + 1, l.header_y, l.table.width - 1, l.columns, l.placed,
                      theme.header, static_cast<std::size_t>(state.process_sort), ascending);
    const auto& rows = state.processes;
    if (rows.empty()) {
        draw_text(buf, l.table.x + 2, l.rows_y + 1, l.table.width - 3, "no processes with traffic",
                  theme.muted);
    }
    const std::size_t first =
        scroll_to_show(state.process_scroll, state.process_selected, l.visible_rows, rows.size());
    const std::size_t end = std::min(rows.size(), first + l.visible_rows);
    for (std::size_t i = first; i < end; ++i) {
        const int y = l.rows_y + static_cast<int>(i - first);
        const bool selected = i == state.process_selected;
        const Style style = selected ? theme.selected : theme.base;
        const bool last_member = i + 1 >= rows.size() || !rows[i + 1].member;
        const auto cells = cells_of(rows[i], state.process_grouping, last_member, units_of(state.table),
                                    state.table.totals);
        std::array<Style, kProcessColumnCount> styles;
        styles.fill(style);
        if (!selected) {
            styles[static_cast<std::size_t>(ProcessColumn::down)] = theme.down;
            styles[static_cast<std::size_t>(ProcessColumn::up)] = theme.up;
            styles[static_cast<std::size_t>(ProcessColumn::peers)] = theme.muted;
        }
        draw_mark(buf, l.table.x, y, rows[i].marked, style, theme);
        draw_table_row(buf, l.table.x + 1, y, l.table.width - 1, l.columns, l.placed, cells, style,
                       styles);
    }
    if (l.info.height > 0 && state.process_selected < rows.size())
        draw_info(buf, l.info, rows[state.process_selected], state.process_grouping, theme);
}

}  // namespace sockeye::tui
