// The overview table's rows, built once per snapshot (or when a toggle,
// the sort or the filter changes): filtered, sorted, optionally grouped by
// process, with every cell's text ready so drawing stays cheap.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "filter/filter.hpp"
#include "snapshot/snapshot.hpp"
#include "snapshot/flow_id.hpp"
#include "tui/format.hpp"
#include "tui/ui_options.hpp"

namespace sockeye::tui {

// A flow row names its flow and carries only its sort key: the cells of the
// rows on screen are made when drawn (row_cell), so a table of 100k flows
// costs a sort, not 1.5M formatted strings. A group row carries its cells,
// made from its members' sums when the table is built.
struct ConnectionRow {
    enum class Kind : std::uint8_t { flow, group };
    Kind kind = Kind::flow;
    std::size_t flow_index = 0;  // into Snapshot::flows (flow rows)
    snapshot::FlowProtocol protocol = snapshot::FlowProtocol::other;  // flow rows
    std::string group_key;       // process_key() of the group (group rows; flow rows when grouped)
    bool expanded = false;       // group rows
    std::size_t group_size = 0;  // group rows: flows in the group
    // The sort column's value: a number for numeric columns, else its text.
    double sort_number = 0;
    std::string sort_text;
    // Group rows: every column's cell and number (sums; RTT and Age the largest).
    struct GroupCells {
        std::array<std::string, kColumnCount> cells;
        std::array<double, kColumnCount> numbers{};
    };
    std::shared_ptr<const GroupCells> group;
    double fade = 0;    // 0 fresh .. 1 at its idle timeout
    bool ended = false;
    bool marked = false;  // its traffic moved while the table was paused (shown for a while after resume)
};

struct ConnectionTableOptions {
    TableSettings table;
    const std::set<std::string>* expanded = nullptr;  // expanded group keys
    const filter::Filter* filter = nullptr;           // null: everything
};

struct ConnectionTable {
    std::vector<ConnectionRow> rows;
    std::size_t flows_shown = 0;  // flows that passed the filter
    std::size_t flows_total = 0;  // flows in the snapshot the toggles allow
    // Per column, the widest cell among the first kMeasuredRows rows (the
    // layout fits text columns to it), or -1 when not measured.
    std::array<int, kColumnCount> content_widths{};
    static constexpr std::size_t kMeasuredRows = 256;
};

ConnectionTable build_connection_table(const snapshot::Snapshot& snap,
                                       const ConnectionTableOptions& options);

// A row's cell as the overview shows it (a flow's own, or its group's), and
// its number (the sort key of numeric columns).
std::string row_cell(const snapshot::Snapshot& snap, const ConnectionRow& row, Column c,
                     const TableSettings& table);
double row_number(const snapshot::Snapshot& snap, const ConnectionRow& row, Column c,
                  const TableSettings& table);

// Whether a flow is visible at all before the filter: active, or ended and
// shown by `t` and not cleared by `x`.
bool flow_visible(const snapshot::FlowRecord& f, bool show_ended, std::int64_t cleared_at_ns);

// The cell text of one flow (shared with the details view and tests);
// `now_ns` (the snapshot's clock) is what Age counts to; `totals`: Down and
// Up say bytes so far.
std::string flow_cell(const snapshot::FlowRecord& f, Column c, bool numeric_ports, bool show_names,
                      Units units = Units::bytes, std::int64_t now_ns = 0, bool totals = false);

}  // namespace sockeye::tui
