#include "tui/ui.hpp"

#include <algorithm>

#include "tui/format.hpp"
#include "tui/views/views.hpp"
#include "tui/widgets/status_bar.hpp"
#include "tui/widgets/tab_bar.hpp"
#include "tui/widgets/text.hpp"

namespace sockeye::tui {
namespace {

// "? help" comes second: when the bar is narrow, the rest are found there.
constexpr KeyHint kOverviewHints[] = {
    {"q", "quit"},   {"?", "help"},    {"↑↓", "move"},  {"Enter", "details"}, {"/", "filter"},
    {"Space", "pause"}, {"s/S", "sort"}, {"a", "group"}, {"t", "ended"}, {"p", "ports"},
    {"d", "names"},    {"c", "copy"},  {"x", "clear"},
};
constexpr KeyHint kDetailsHints[] = {
    {"Esc", "back"}, {"?", "help"}, {"↑↓", "scroll"}, {"Tab", "next tab"}, {"c", "copy"},
    {"p", "ports"},  {"q", "quit"},
};
constexpr KeyHint kProcessesHints[] = {
    {"q", "quit"},   {"?", "help"},  {"↑↓", "move"}, {"Enter", "connections"}, {"/", "filter"},
    {"Space", "pause"}, {"s/S", "sort"}, {"g", "group"}, {"c", "copy"}, {"x", "clear"},
};
constexpr KeyHint kListeningHints[] = {
    {"q", "quit"}, {"?", "help"}, {"↑↓", "move"}, {"Enter", "connections"}, {"K", "stop"}, {"c", "copy"},
};
constexpr KeyHint kGraphHints[] = {
    {"q", "quit"}, {"?", "help"}, {"Tab", "next tab"}, {"t", "ended"}, {"x", "clear"},
};

std::span<const KeyHint> hints_for(Tab t) {
    switch (t) {
        case Tab::overview: return kOverviewHints;
        case Tab::details: return kDetailsHints;
        case Tab::processes: return kProcessesHints;
        case Tab::graph: return kGraphHints;
        case Tab::listening: return kListeningHints;
    }
    return {};
}

// The clock the pause counts by: wall time live (replays at --speed max
// race through packet time), packet time where no wall time is known.
std::int64_t clock_of(const snapshot::Snapshot& snap) { return snap.wall_ns > 0 ? snap.wall_ns : snap.ts_ns; }

// How long rows that moved while paused stay marked after the resume.
constexpr std::int64_t kMarkNs = 5'000'000'000;

// "end of file · ", "capture stopped after -c 10 packets · ", or nothing
// while frames still come.
std::string capture_state_note(const snapshot::SourceInfo& source) {
    switch (source.state) {
        case snapshot::CaptureState::running: return {};
        case snapshot::CaptureState::end_of_file:
            return source.complete ? "end of file · " : "end of file (truncated) · ";
        case snapshot::CaptureState::stopped:
            return source.state_note.empty() ? "capture stopped · "
                                             : "capture stopped " + source.state_note + " · ";
        case snapshot::CaptureState::failed: return "capture failed · ";
    }
    return {};
}

// Live: the local wall clock, which moves on an idle link too. Files: the
// time of the last packet read, labelled as such ("--:--:--" before it).
std::string footer_clock(const snapshot::Snapshot& snap) {
    if (snap.source.live) return snap.wall_ns > 0 ? format_local_time(snap.wall_ns) : "--:--:--";
    return "packet time " + (snap.ts_ns > 0 ? format_clock(snap.ts_ns).substr(0, 8) : "--:--:--");
}

// "paused 12s · ", "order frozen · " or nothing.
std::string pause_note(const ViewState& s) {
    std::string note;
    if (s.paused) note += "paused " + format_duration(std::max<std::int64_t>(0, s.now_ns - s.paused_since_ns)) + " · ";
    if (s.order_frozen) note += "order frozen · ";
    return note;
}

}  // namespace

Ui::Ui(UiOptions options)
    : options_(std::move(options)), snap_(std::make_shared<snapshot::Snapshot>()), live_(snap_) {
    state_.theme = &resolve_theme(options_.theme, options_.no_color);
    state_.refresh_ms = options_.refresh_ms;
    state_.columns = options_.columns.empty() ? default_columns() : options_.columns;
    state_.table = options_.table;
    state_.history = TrafficHistory(options_.history_samples);
    auto compiled = filter::compile(options_.filter);
    if (compiled) {
        state_.filter = std::move(compiled).value();
    } else {
        // A bad initial filter opens the prompt with the complaint, and
        // everything is shown until it is fixed.
        open_prompt(options_.filter);
        state_.prompt.error = compiled.error();
    }
}

void Ui::resize(int width, int height) {
    width_ = width;
    height_ = height;
    scroll_into_view();
}

void Ui::update(std::shared_ptr<const snapshot::Snapshot> snap) {
    if (!snap) return;
    live_ = std::move(snap);
    state_.now_ns = clock_of(*live_);
    // The graph and the peaks go on recording while the tables are paused.
    state_.history.record(*live_);
    if (state_.paused) return;
    show(live_);
}

UiAction Ui::toggle_pause() {
    if (!state_.paused) {
        state_.paused = true;
        state_.paused_since_ns = state_.now_ns;
        return UiAction::redraw;
    }
    state_.paused = false;
    if (live_ != snap_) {
        remember_changes(*snap_, *live_);
        show(live_);
    }
    return UiAction::redraw;
}

UiAction Ui::toggle_order_freeze() {
    state_.order_frozen = !state_.order_frozen;
    rebuild();  // records the order, or sorts again
    return UiAction::redraw;
}

// A flow moved when it is new or its byte counts or end changed; its
// overview group and its Processes rows (by process, by container) with it.
void Ui::remember_changes(const snapshot::Snapshot& paused, const snapshot::Snapshot& now) {
    marked_flows_.clear();
    marked_groups_.clear();
    marked_processes_.clear();
    std::unordered_map<snapshot::FlowId, const snapshot::FlowRecord*, snapshot::FlowIdHash> before;
    before.reserve(paused.flows.size());
    for (const auto& f : paused.flows) before.emplace(snapshot::FlowId::of(f), &f);
    for (const auto& f : now.flows) {
        const snapshot::FlowId id = snapshot::FlowId::of(f);
        const auto it = before.find(id);
        const bool moved = it == before.end() || it->second->bytes_sent != f.bytes_sent ||
                           it->second->bytes_received != f.bytes_received ||
                           it->second->end_reason != f.end_reason;
        if (!moved) continue;
        marked_flows_.insert(id);
        marked_groups_.insert(process_key(f));
        marked_processes_.insert(process_key(f));
        marked_processes_.insert(program_key(f));
        marked_processes_.insert(container_key(f));
    }
    state_.marks_until_ns = clock_of(now) + kMarkNs;
}

void Ui::mark_rows() {
    const bool on = state_.now_ns < state_.marks_until_ns;
    if (!on && marked_flows_.empty() && marked_processes_.empty()) return;
    for (auto& row : state_.connections.rows) {
        row.marked = on && (row.kind == ConnectionRow::Kind::group
                                ? marked_groups_.count(row.group_key) > 0
                                : marked_flows_.count(snapshot::FlowId::of(snap_->flows[row.flow_index])) > 0);
    }
    for (auto& row : state_.processes) row.marked = on && marked_processes_.count(row.key) > 0;
    if (!on) {
        marked_flows_.clear();
        marked_groups_.clear();
        marked_processes_.clear();
    }
}

namespace {

constexpr std::size_t kUnranked = static_cast<std::size_t>(-1);

// Rows in runs that move together: a group and its members (grouped
// overview), else each row alone; runs and the members of a run are put in
// rank order, unranked ones after, in the order they were built.
template <typename Row, typename Rank, typename Leads>
void order_by_rank(std::vector<Row>& rows, Rank rank, Leads leads_run) {
    std::vector<std::vector<Row>> runs;
    for (auto& row : rows) {
        if (runs.empty() || leads_run(row)) runs.emplace_back();
        runs.back().push_back(std::move(row));
    }
    for (auto& run : runs)
        std::stable_sort(run.begin() + 1, run.end(),
                         [&](const Row& a, const Row& b) { return rank(a) < rank(b); });
    std::stable_sort(runs.begin(), runs.end(),
                     [&](const auto& a, const auto& b) { return rank(a.front()) < rank(b.front()); });
    rows.clear();
    for (auto& run : runs)
        for (auto& row : run) rows.push_back(std::move(row));
}

}  // namespace

void Ui::keep_order() {
    if (!state_.order_frozen) {
        connection_order_.reset();
        process_order_.reset();
        return;
    }
    const auto& t = state_.table;
    const std::string common = std::to_string(t.show_ended) + "|" + state_.filter.text();
    {
        auto& rows = state_.connections.rows;
        const std::string signature = std::to_string(static_cast<int>(t.sort)) + "|" +
                                      std::to_string(t.sort_reverse) + "|" + std::to_string(t.grouped) +
                                      "|" + common;
        if (!connection_order_ || connection_order_->signature != signature)
            connection_order_ = FrozenOrder{signature, {}, {}};
        auto& order = *connection_order_;
        const auto id = [&](const ConnectionRow& r) { return snapshot::FlowId::of(snap_->flows[r.flow_index]); };
        const auto rank = [&](const ConnectionRow& r) {
            if (r.kind == ConnectionRow::Kind::group) {
                const auto it = order.keys.find(r.group_key);
                return it == order.keys.end() ? kUnranked : it->second;
            }
            const auto it = order.flows.find(id(r));
            return it == order.flows.end() ? kUnranked : it->second;
        };
        const bool grouped = t.grouped;
        order_by_rank(rows, rank, [&](const ConnectionRow& r) {
            return !grouped || r.kind == ConnectionRow::Kind::group;
        });
        // Rows seen for the first time keep the place they were given.
        std::size_t next = order.flows.size() + order.keys.size();
        for (const auto& r : rows) {
            if (rank(r) != kUnranked) continue;
            if (r.kind == ConnectionRow::Kind::group) {
                order.keys.emplace(r.group_key, next++);
            } else {
                order.flows.emplace(id(r), next++);
            }
        }
    }
    {
        auto& rows = state_.processes;
        const std::string signature = std::to_string(static_cast<int>(state_.process_sort)) + "|" +
                                      std::to_string(state_.process_sort_reverse) + "|" +
                                      std::to_string(static_cast<int>(state_.process_grouping)) + "|" + common;
        if (!process_order_ || process_order_->signature != signature)
            process_order_ = FrozenOrder{signature, {}, {}};
        auto& order = *process_order_;
        const auto rank = [&](const ProcessRow& r) {
            const auto it = order.keys.find(r.key);
            return it == order.keys.end() ? kUnranked : it->second;
        };
        order_by_rank(rows, rank, [](const ProcessRow& r) { return !r.member; });
        std::size_t next = order.keys.size();
        for (const auto& r : rows)
            if (rank(r) == kUnranked) order.keys.emplace(r.key, next++);
    }
}

Ui::SelectionKey Ui::selection_key() const {
    SelectionKey key;
    const auto& rows = state_.connections.rows;
    if (state_.connection_selected >= rows.size()) return key;
    const auto& row = rows[state_.connection_selected];
    key.valid = true;
    key.group = row.kind == ConnectionRow::Kind::group;
    key.group_key = row.group_key;
    if (!key.group && row.flow_index < snap_->flows.size())
        key.flow = snapshot::FlowId::of(snap_->flows[row.flow_index]);
    return key;
}

void Ui::rebuild() { show(snap_); }

void Ui::show(std::shared_ptr<const snapshot::Snapshot> next) {
    // The selection is found in the snapshot shown until now.
    const SelectionKey key = selection_key();
    std::string process_key_before;
    if (state_.process_selected < state_.processes.size())
        process_key_before = state_.processes[state_.process_selected].key;
    snap_ = std::move(next);
    rebuild_with(key, process_key_before);
}

void Ui::rebuild_with(const SelectionKey& key, const std::string& process_key_before) {
    const filter::Filter* filter = state_.filter.matches_everything() ? nullptr : &state_.filter;
    const ConnectionTableOptions co{state_.table, &state_.expanded, filter};
    const std::size_t old_index = state_.connection_selected;
    state_.connections = build_connection_table(*snap_, co);
    const ProcessTableOptions po{state_.process_sort,    state_.process_sort_reverse, state_.table,
                                 filter,                 &state_.history,            state_.process_grouping,
                                 &state_.expanded_programs};
    const std::size_t old_process = state_.process_selected;
    // Only the tab on screen pays for its table; set_tab() builds it on the way in.
    const bool processes_shown = state_.tab == Tab::processes;
    if (processes_shown) state_.processes = build_process_table(*snap_, po);
    if (state_.tab == Tab::listening) {
        state_.listening = build_listening_table(*snap_);
        if (!state_.listening.empty())
            state_.listening_selected = std::min(state_.listening_selected, state_.listening.size() - 1);
    }
    keep_order();
    mark_rows();
    const auto& rows = state_.connections.rows;

    // Find the selected row again: the same flow, else its (collapsed) group,
    // else stay at the same position.
    std::optional<std::size_t> found;
    if (key.valid) {
        for (std::size_t i = 0; i < rows.size() && !found; ++i) {
            const auto& row = rows[i];
            if (key.group) {
                if (row.kind == ConnectionRow::Kind::group && row.group_key == key.group_key) found = i;
            } else if (row.kind == ConnectionRow::Kind::flow && key.flow.is(snap_->flows[row.flow_index])) {
                found = i;
            }
        }
        if (!found && !key.group && state_.table.grouped) {
            // The flow is inside a collapsed group: select the group.
            for (std::size_t i = 0; i < rows.size() && !found; ++i) {
                const auto& row = rows[i];
                if (row.kind != ConnectionRow::Kind::group) continue;
                for (const auto& f : snap_->flows) {
                    if (key.flow.is(f) && process_key(f) == row.group_key) {
                        found = i;
                        break;
                    }
                }
            }
        }
    }
    state_.connection_selected =
        found ? *found : (rows.empty() ? 0 : std::min(old_index, rows.size() - 1));

    if (processes_shown) {
        std::optional<std::size_t> process_found;
        for (std::size_t i = 0; i < state_.processes.size(); ++i)
            if (state_.processes[i].key == process_key_before) process_found = i;
        state_.process_selected =
            process_found ? *process_found
                          : (state_.processes.empty() ? 0 : std::min(old_process, state_.processes.size() - 1));
    }

    if (details_id_) {
        state_.details_live = false;
        for (const auto& f : snap_->flows) {
            if (details_id_->is(f)) {
                state_.details = f;
                state_.details_live = true;
                break;
            }
        }
    }
    scroll_into_view();
}

const snapshot::FlowRecord* Ui::selected_flow() const {
    const auto& rows = state_.connections.rows;
    if (state_.connection_selected >= rows.size()) return nullptr;
    const auto& row = rows[state_.connection_selected];
    if (row.kind != ConnectionRow::Kind::flow || row.flow_index >= snap_->flows.size()) return nullptr;
    return &snap_->flows[row.flow_index];
}

std::size_t Ui::page_rows() const {
    const ScreenLayout s = screen_layout(width_, height_);
    switch (state_.tab) {
        case Tab::overview: return std::max<std::size_t>(1, overview_layout(s.content, state_).visible_rows);
        case Tab::processes: return std::max<std::size_t>(1, processes_layout(s.content, state_).visible_rows);
        case Tab::listening: return std::max<std::size_t>(1, listening_layout(s.content).visible_rows);
        default: return static_cast<std::size_t>(std::max(1, s.content.height));
    }
}

void Ui::scroll_into_view() {
    const ScreenLayout s = screen_layout(width_, height_);
    const auto ov = overview_layout(s.content, state_).visible_rows;
    state_.connection_scroll = scroll_to_show(state_.connection_scroll, state_.connection_selected,
                                              ov, state_.connections.rows.size());
    const auto pv = processes_layout(s.content, state_).visible_rows;
    state_.process_scroll = scroll_to_show(state_.process_scroll, state_.process_selected, pv,
                                           state_.processes.size());
    const auto lv = listening_layout(s.content).visible_rows;
    state_.listening_scroll = scroll_to_show(state_.listening_scroll, state_.listening_selected, lv,
                                             state_.listening.size());
}

void Ui::render(Buffer& buf) const {
    width_ = buf.width();
    height_ = buf.height();
    const Theme& theme = *state_.theme;
    buf.clear(theme.base);
    if (buf.width() < 20 || buf.height() < 5) {
        buf.print(0, 0, "terminal too small", theme.error);
        return;
    }
    const ScreenLayout layout = screen_layout(buf.width(), buf.height());

    std::string note;
    // First, so a narrow tab bar cuts the flow count rather than this.
    if (const std::size_t fresh = unseen_alerts(live_->alerts, state_.alerts_seen); fresh > 0)
        note = "⚑ " + std::to_string(fresh) + (fresh == 1 ? " new alert" : " new alerts") + " (A) · ";
    if (!snap_->source.name.empty()) note += snap_->source.name + " · ";
    const auto& table = state_.connections;
    note += table.flows_shown == table.flows_total
                ? std::to_string(table.flows_total) + " flows"
                : std::to_string(table.flows_shown) + " of " + std::to_string(table.flows_total) + " flows";
    if (!state_.filter.matches_everything()) note += " · filter: " + state_.filter.text();
    const std::uint64_t drops = snap_->capture.dropped + snap_->capture.interface_dropped;
    if (drops > 0) note += " · " + format_count(drops) + " dropped";
    draw_tab_bar(buf, layout.tab_bar_y, state_.tab, note, theme);

    switch (state_.tab) {
        case Tab::overview: draw_overview(buf, layout.content, state_, *snap_); break;
        case Tab::details: draw_details(buf, layout.content, state_, *snap_); break;
        case Tab::processes: draw_processes(buf, layout.content, state_, *snap_); break;
        case Tab::graph: draw_graph(buf, layout.content, state_, *snap_); break;
        case Tab::listening: draw_listening(buf, layout.content, state_, *snap_); break;
    }

    if (state_.prompt.open) {
        std::string error;
        if (state_.prompt.error) {
            error = "✗ " + state_.prompt.error->message;
        }
        draw_prompt(buf, layout.status_y, "Filter: ", state_.prompt.text,
                    std::min(state_.prompt.cursor, state_.prompt.text.size()), error,
                    "Enter apply · ↑↓ history · Esc cancel", theme);
    } else {
        std::string right;
        if (state_.tab == Tab::overview && !table.rows.empty()) {
            right = std::to_string(state_.connection_selected + 1) + "/" + std::to_string(table.rows.size()) + "  ";
        } else if (state_.tab == Tab::processes && !state_.processes.empty()) {
            right = std::to_string(state_.process_selected + 1) + "/" +
                    std::to_string(state_.processes.size()) + "  ";
        }
        if (!state_.notice.empty()) {
            if (state_.notice_is_news) {
                draw_info_bar(buf, layout.status_y, state_.notice, theme);
            } else {
                draw_alert_bar(buf, layout.status_y, state_.notice, theme);
            }
        } else if (live_->source.state == snapshot::CaptureState::failed) {
            draw_alert_bar(buf, layout.status_y,
                           "✗ capture failed: " + live_->source.state_note + " · q quit", theme);
        } else {
            right += pause_note(state_) + capture_state_note(live_->source) + footer_clock(*live_);
            draw_status_bar(buf, layout.status_y, hints_for(state_.tab), right, theme);
        }
    }
    if (state_.help_open) draw_help_overlay(buf, layout.content, state_.tab, theme);
    if (state_.kill.open) draw_kill_dialog(buf, layout.content, state_.kill, theme);
    if (state_.alerts_open) draw_alerts_overlay(buf, layout.content, live_->alerts, theme);
}

}  // namespace sockeye::tui
