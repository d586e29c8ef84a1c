#include "tui/views/connection_table.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <unordered_map>

#include "enrich/service_names.hpp"
#include "tui/format.hpp"
#include "tui/history.hpp"
#include "tui/render/buffer.hpp"

namespace sockeye::tui {
namespace {

using snapshot::FlowProtocol;
using snapshot::FlowRecord;

bool has_ports(FlowProtocol p) { return p == FlowProtocol::tcp || p == FlowProtocol::udp; }

std::string service_cell(const FlowRecord& f, bool numeric_ports) {
    if (!has_ports(f.protocol)) return std::string(snapshot::protocol_name(f.protocol));
    if (!numeric_ports) {
        const std::string_view name = enrich::flow_service(f);
        if (!name.empty()) return std::string(name);
    }
    return std::to_string(f.destination_port);
}

double fade_of(const FlowRecord& f, std::int64_t now_ns) {
    if (f.end_reason != snapshot::EndReason::active || f.idle_timeout_ns <= 0) return 0;
    const double idle = static_cast<double>(now_ns - f.last_seen_ns);
    return std::clamp(idle / static_cast<double>(f.idle_timeout_ns), 0.0, 1.0);
}

double number_of(const FlowRecord& f, Column c, std::int64_t now_ns, bool totals) {
    if (totals && c == Column::down) return static_cast<double>(f.bytes_received);
    if (totals && c == Column::up) return static_cast<double>(f.bytes_sent);
    switch (c) {
        case Column::pid: return f.process ? static_cast<double>(f.process->pid) : -1;
        case Column::age: return static_cast<double>(std::max<std::int64_t>(0, now_ns - f.first_seen_ns));
        case Column::rtt:
            return static_cast<double>(snapshot::display_rtt_ns(f));
        case Column::down: return f.received_bytes_per_s;
        case Column::up: return f.sent_bytes_per_s;
        case Column::total_down: return static_cast<double>(f.bytes_received);
        case Column::total_up: return static_cast<double>(f.bytes_sent);
        default: return 0;
    }
}

// A flow's row; its sort key is the caller's (build_connection_table works
// the number out before the row exists).
ConnectionRow flow_row(const snapshot::Snapshot& snap, std::size_t index) {
    const FlowRecord& f = snap.flows[index];
    ConnectionRow row;
    row.kind = ConnectionRow::Kind::flow;
    row.flow_index = index;
    row.protocol = f.protocol;
    row.ended = f.end_reason != snapshot::EndReason::active;
    row.fade = fade_of(f, snap.ts_ns);
    return row;
}

// Orders two rows by their sort keys; ties fall back to the row's own order
// (first_seen for flows) so the table does not shuffle between refreshes.
struct RowOrder {
    bool numeric;
    bool reverse;
    // Numbers largest first unless reversed; ties in the snapshot's order.
    // (Also the order of build_connection_table's (number, flow) pairs.)
    [[nodiscard]] bool by_number(double a, std::size_t a_flow, double b, std::size_t b_flow) const {
        if (a != b) return reverse ? a < b : a > b;
        return a_flow < b_flow;
    }
    bool operator()(const ConnectionRow& a, const ConnectionRow& b) const {
        const bool groups = a.kind == ConnectionRow::Kind::group;
        if (numeric && !groups) return by_number(a.sort_number, a.flow_index, b.sort_number, b.flow_index);
        int cmp = 0;
        if (numeric) {
            if (a.sort_number != b.sort_number) cmp = a.sort_number > b.sort_number ? -1 : 1;
        } else {
            cmp = a.sort_text.compare(b.sort_text);
            cmp = cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
        }
        if (cmp != 0) return reverse ? cmp > 0 : cmp < 0;
        if (groups) return a.group_key < b.group_key;
        return a.flow_index < b.flow_index;
    }
};

ConnectionRow group_row(const std::string& key, const std::vector<ConnectionRow>& members,
                        const snapshot::Snapshot& snap, const ConnectionTableOptions& o) {
    ConnectionRow row;
    row.kind = ConnectionRow::Kind::group;
    row.group_key = key;
    row.group_size = members.size();
    row.expanded = o.expanded != nullptr && o.expanded->count(key) != 0;
    auto group = std::make_shared<ConnectionRow::GroupCells>();
    const FlowRecord& first = snap.flows[members.front().flow_index];
    const auto proc = static_cast<std::size_t>(Column::process);
    group->cells[proc] = process_label(first);
    if (first.process) group->cells[proc] += " (" + std::to_string(first.process->pid) + ")";
    // The count goes with the name: the overview lets a group's label run on
    // over the empty cells to its right.
    group->cells[proc] += " · " + std::to_string(members.size()) +
                          (members.size() == 1 ? " connection" : " connections");
    bool all_ended = true;
    double fade = 1;
    auto& numbers = group->numbers;
    for (const auto& m : members) {
        const FlowRecord& f = snap.flows[m.flow_index];
        for (std::size_t c = 0; c < kColumnCount; ++c) {
            const auto col = static_cast<Column>(c);
            if (!column_is_numeric(col)) continue;
            const double n = number_of(f, col, snap.ts_ns, o.table.totals);
            if (col == Column::rtt || col == Column::age) {
                // The slowest and the oldest speak for the group.
                numbers[c] = std::max(numbers[c], n);
            } else if (col == Column::pid) {
                numbers[c] = n;  // one process per group
            } else {
                numbers[c] += n;
            }
        }
        all_ended = all_ended && m.ended;
        fade = std::min(fade, m.fade);
    }
    row.ended = all_ended;
    row.fade = all_ended ? 0 : fade;
    const auto bytes_cell = [&](Column c) {
        return format_bytes(static_cast<std::uint64_t>(numbers[static_cast<std::size_t>(c)]),
                            units_of(o.table));
    };
    for (Column c : {Column::down, Column::up}) {
        group->cells[static_cast<std::size_t>(c)] =
            o.table.totals ? bytes_cell(c)
                           : format_rate(numbers[static_cast<std::size_t>(c)], units_of(o.table));
    }
    for (Column c : {Column::total_down, Column::total_up})
        group->cells[static_cast<std::size_t>(c)] = bytes_cell(c);
    const auto age = static_cast<std::size_t>(Column::age);
    group->cells[age] = format_duration(static_cast<std::int64_t>(numbers[age]));
    // Text columns other than the process name say nothing about a group:
    // groups sort by the number, or by their label.
    row.sort_number = numbers[static_cast<std::size_t>(o.table.sort)];
    row.sort_text = group->cells[proc];
    row.group = std::move(group);
    return row;
}

// Sorts through an index so the rows move once, not at every swap.
void sort_rows(std::vector<ConnectionRow>& rows, const RowOrder& order) {
    std::vector<std::size_t> index(rows.size());
    std::iota(index.begin(), index.end(), std::size_t{0});
    std::sort(index.begin(), index.end(),
              [&](std::size_t a, std::size_t b) { return order(rows[a], rows[b]); });
    std::vector<ConnectionRow> sorted;
    sorted.reserve(rows.size());
    for (std::size_t i : index) sorted.push_back(std::move(rows[i]));
    rows = std::move(sorted);
}

// The first rows in display order are the ones on screen (and a bound on
// the work with 100k flows). Grouped, a member's process cell is drawn as
// its protocol and a group's label runs on over the empty cells, so the
// process column is not measured.
void measure_cells(ConnectionTable& table, const snapshot::Snapshot& snap,
                   const std::vector<ConnectionRow>& rows, const TableSettings& settings) {
    table.content_widths.fill(0);
    const std::size_t n = std::min(rows.size(), ConnectionTable::kMeasuredRows);
    for (std::size_t r = 0; r < n; ++r) {
        for (std::size_t c = 0; c < kColumnCount; ++c) {
            const auto col = static_cast<Column>(c);
            // Numbers keep their fixed widths (layout_table ignores them).
            if (column_is_numeric(col)) continue;
            const std::string cell = row_cell(snap, rows[r], col, settings);
            table.content_widths[c] = std::max(table.content_widths[c], text_width(cell));
        }
    }
    if (settings.grouped) table.content_widths[static_cast<std::size_t>(Column::process)] = -1;
}

}  // namespace

std::string row_cell(const snapshot::Snapshot& snap, const ConnectionRow& row, Column c,
                     const TableSettings& table) {
    if (row.group) return row.group->cells[static_cast<std::size_t>(c)];
    if (row.flow_index >= snap.flows.size()) return "";
    return flow_cell(snap.flows[row.flow_index], c, table.numeric_ports, table.show_names,
                     units_of(table), snap.ts_ns, table.totals);
}

double row_number(const snapshot::Snapshot& snap, const ConnectionRow& row, Column c,
                  const TableSettings& table) {
    if (row.group) return row.group->numbers[static_cast<std::size_t>(c)];
    if (row.flow_index >= snap.flows.size()) return 0;
    return number_of(snap.flows[row.flow_index], c, snap.ts_ns, table.totals);
}

bool flow_visible(const FlowRecord& f, bool show_ended, std::int64_t cleared_at_ns) {
    if (f.end_reason == snapshot::EndReason::active) return true;
    return show_ended && f.last_seen_ns > cleared_at_ns;
}

std::string flow_cell(const FlowRecord& f, Column c, bool numeric_ports, bool show_names, Units units,
                      std::int64_t now_ns, bool totals) {
    if (totals && c == Column::down) return format_bytes(f.bytes_received, units);
    if (totals && c == Column::up) return format_bytes(f.bytes_sent, units);
    switch (c) {
        case Column::pid: return f.process ? std::to_string(f.process->pid) : "";
        case Column::age: return format_duration(std::max<std::int64_t>(0, now_ns - f.first_seen_ns));
        case Column::process: return process_label(f);
        case Column::local: return format_endpoint(f.source_ip, f.source_port, f.protocol);
        case Column::remote:
            if (show_names && !f.remote_name.empty()) return f.remote_name;
            return f.destination_ip.to_string();
        case Column::country: return f.remote_geo ? format_country(*f.remote_geo) : "";
        case Column::network: return f.remote_geo ? format_network(*f.remote_geo) : "";
        case Column::service: return service_cell(f, numeric_ports);
        case Column::application:
            if (!f.app || f.app->protocol.empty()) return "";
            return f.app->domain.empty() ? f.app->protocol : f.app->protocol + " " + f.app->domain;
        case Column::state: return std::string(snapshot::state_name(f.state));
        case Column::rtt: return format_rtt(snapshot::display_rtt_ns(f));
        case Column::down: return format_rate(f.received_bytes_per_s, units);
        case Column::up: return format_rate(f.sent_bytes_per_s, units);
        case Column::total_down: return format_bytes(f.bytes_received, units);
        case Column::total_up: return format_bytes(f.bytes_sent, units);
    }
    return "";
}

ConnectionTable build_connection_table(const snapshot::Snapshot& snap,
                                       const ConnectionTableOptions& o) {
    ConnectionTable table;
    const bool numeric = column_is_numeric(o.table.sort);
    // By a number (the usual case, and 100k flows of it): the keys are
    // sorted as compact pairs and the rows made once, already in order.
    std::vector<std::pair<double, std::size_t>> by_number;
    std::vector<ConnectionRow> flows;
    for (std::size_t i = 0; i < snap.flows.size(); ++i) {
        const FlowRecord& f = snap.flows[i];
        if (!flow_visible(f, o.table.show_ended, o.table.cleared_at_ns)) continue;
        ++table.flows_total;
        if (o.filter != nullptr && !o.filter->matches_at(f, snap.ts_ns)) continue;
        if (numeric) {
            by_number.emplace_back(number_of(f, o.table.sort, snap.ts_ns, o.table.totals), i);
        } else {
            // A text key, formatted for the sort column alone.
            flows.push_back(flow_row(snap, i));
            flows.back().sort_text = flow_cell(f, o.table.sort, o.table.numeric_ports, o.table.show_names,
                                               units_of(o.table), snap.ts_ns, o.table.totals);
        }
    }
    const RowOrder order{numeric, o.table.sort_reverse};
    if (numeric) {
        std::sort(by_number.begin(), by_number.end(), [&order](const auto& a, const auto& b) {
            return order.by_number(a.first, a.second, b.first, b.second);
        });
        flows.reserve(by_number.size());
        for (const auto& [number, index] : by_number) {
            flows.push_back(flow_row(snap, index));
            flows.back().sort_number = number;
        }
    } else {
        sort_rows(flows, order);
    }
    table.flows_shown = flows.size();
    if (!o.table.grouped) {
        table.rows = std::move(flows);
        measure_cells(table, snap, table.rows, o.table);
        return table;
    }
    // Grouped: members keep the sorted order; groups sort by their totals.
    // A process' key is made once, not once per flow (flows of one process
    // share its record).
    std::unordered_map<const snapshot::ProcessInfo*, std::string> keys;
    std::map<std::string, std::vector<ConnectionRow>> members;
    for (auto& row : flows) {
        const FlowRecord& f = snap.flows[row.flow_index];
        if (f.process) {
            auto [it, added] = keys.try_emplace(f.process.get());
            if (added) it->second = process_key(f);
            row.group_key = it->second;
        } else {
            row.group_key = process_key(f);
        }
        members[row.group_key].push_back(std::move(row));
    }
    std::vector<ConnectionRow> groups;
    groups.reserve(members.size());
    for (const auto& [key, rows] : members) groups.push_back(group_row(key, rows, snap, o));
    sort_rows(groups, order);
    for (auto& g : groups) {
        const bool expanded = g.expanded;
        const std::string key = g.group_key;
        table.rows.push_back(std::move(g));
        if (!expanded) continue;
        for (auto& m : members[key]) table.rows.push_back(std::move(m));
    }
    measure_cells(table, snap, table.rows, o.table);
    return table;
}

}  // namespace sockeye::tui
