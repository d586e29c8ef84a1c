// Keys and mouse: what each does on each tab.
#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "core/printable_text.hpp"
#include "tui/format.hpp"
#include "tui/history.hpp"
#include "tui/term/clipboard.hpp"
#include "tui/ui.hpp"
#include "tui/views/views.hpp"
#include "tui/widgets/tab_bar.hpp"

namespace sockeye::tui {
namespace {

constexpr long kWheelRows = 3;

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The start of the character before / after byte offset `at`.
std::size_t char_before(const std::string& s, std::size_t at) {
    if (at == 0) return 0;
    --at;
    while (at > 0 && continuation(s[at])) --at;
    return at;
}
std::size_t char_after(const std::string& s, std::size_t at) {
    if (at >= s.size()) return s.size();
    ++at;
    while (at < s.size() && continuation(s[at])) ++at;
    return at;
}

// readline's Ctrl+W: back over spaces, then over the word before them.
std::size_t word_before(const std::string& s, std::size_t at) {
    while (at > 0 && s[at - 1] == ' ') --at;
    while (at > 0 && s[at - 1] != ' ') --at;
    return at;
}

// Vertical movement shared by the tables and the details scroll; 0 = not a
// movement key. `page` rows for PgUp/PgDn; g/G jump to the ends.
std::optional<long> movement(const InputEvent& e, std::size_t page) {
    const long p = static_cast<long>(page);
    if (e.key == Key::down || is_char(e, U'j')) return 1;
    if (e.key == Key::up || is_char(e, U'k')) return -1;
    if (e.key == Key::page_down || (e.key == Key::character && e.ch == U'f' && (e.modifiers & mod::ctrl))) return p;
    if (e.key == Key::page_up || (e.key == Key::character && e.ch == U'b' && (e.modifiers & mod::ctrl))) return -p;
    if (e.key == Key::home || is_char(e, U'g')) return std::numeric_limits<long>::min() / 2;
    if (e.key == Key::end || is_char(e, U'G')) return std::numeric_limits<long>::max() / 2;
    return std::nullopt;
}

}  // namespace

void Ui::notify(std::string message, bool news) {
    state_.notice = std::move(message);
    state_.notice_is_news = news;
}

UiAction Ui::handle(const InputEvent& e) {
    if (e.kind == InputEvent::Kind::key && !state_.notice.empty()) {
        state_.notice.clear();
        const UiAction action = handle(e);
        return action == UiAction::none ? UiAction::redraw : action;
    }
    if (e.kind == InputEvent::Kind::mouse) return handle_mouse(e);
    if (e.key == Key::character && e.ch == U'c' && (e.modifiers & mod::ctrl)) return UiAction::quit;
    if (state_.prompt.open) return handle_prompt_key(e);
    if (state_.kill.open) return handle_kill_key(e);
    if (state_.help_open || state_.alerts_open) {
        // Any key closes the help or the alerts; it does nothing else.
        state_.help_open = false;
        state_.alerts_open = false;
        return UiAction::redraw;
    }
    return handle_key(e);
}

std::string Ui::take_output() { return std::exchange(output_, {}); }

namespace {

struct CopyItem {
    std::string_view what;
    std::string value;
};

void add_flow_items(const snapshot::FlowRecord& f, std::vector<CopyItem>& items) {
    items.push_back({"remote address", f.destination_ip.to_string()});
    items.push_back({"name", f.remote_name});
    items.push_back({"server name", f.app ? f.app->domain : std::string()});
    items.push_back({"command line", f.process ? f.process->cmdline : std::string()});
}

void add_process_items(const snapshot::ProcessInfo& p, std::vector<CopyItem>& items) {
    items.push_back({"command line", p.cmdline});
    items.push_back({"program", p.name});
    items.push_back({"pid", std::to_string(p.pid)});
}

}  // namespace

// c: the selected row's values, one per press (remote address, name, server
// name, command line; a process: command line, program, pid), to the
// clipboard through the terminal. What goes there is printable text only:
// a name off the wire must not paste a newline into a shell.
UiAction Ui::copy_selected() {
    std::vector<CopyItem> items;
    std::string row;
    if (state_.tab == Tab::processes) {
        if (state_.process_selected < state_.processes.size()) {
            const ProcessRow& r = state_.processes[state_.process_selected];
            row = "p:" + r.key;
            if (state_.process_grouping == ProcessGrouping::remote_host) {
                const std::string address = r.key.substr(r.key.find(':') + 1);
                items.push_back({"remote address", address});
                if (r.label != address) items.push_back({"name", r.label});
            } else if (r.process && state_.process_grouping != ProcessGrouping::container) {
                add_process_items(*r.process, items);
            }
        }
    } else if (state_.tab == Tab::listening) {
        if (state_.listening_selected < state_.listening.size()) {
            const ListeningRow& r = state_.listening[state_.listening_selected];
            row = "l:" + listening_proto(r) + listening_endpoint(r);
            items.push_back({"address and port", listening_endpoint(r)});
            if (r.process) add_process_items(*r.process, items);
        }
    } else if (state_.tab == Tab::details) {
        if (state_.details) {
            row = "d:" + state_.details->destination_ip.to_string() + ":" +
                  std::to_string(state_.details->first_seen_ns);
            add_flow_items(*state_.details, items);
        }
    } else if (const snapshot::FlowRecord* f = selected_flow(); f != nullptr) {
        row = "f:" + std::to_string(state_.connection_selected) + ":" + f->destination_ip.to_string();
        add_flow_items(*f, items);
    } else if (state_.connection_selected < state_.connections.rows.size()) {
        const std::string& key = state_.connections.rows[state_.connection_selected].group_key;
        row = "g:" + key;
        for (const auto& flow : snap_->flows) {
            if (flow.process && process_key(flow) == key) {
                add_process_items(*flow.process, items);
                break;
            }
        }
    }
    std::erase_if(items, [](const CopyItem& i) { return i.value.empty(); });
    if (items.empty()) {
        copy_row_.clear();
        notify(row.empty() ? "nothing selected to copy" : "nothing to copy on this row");
        return UiAction::redraw;
    }
    copy_step_ = row == copy_row_ ? (copy_step_ + 1) % items.size() : 0;
    copy_row_ = row;
    const CopyItem& item = items[copy_step_];
    const std::string text = core::printable_text(item.value);
    output_ += osc52_copy(text);
    std::string message = "copied " + std::string(item.what) + ": " + text;
    if (items.size() > 1) message += " · c again: " + std::string(items[(copy_step_ + 1) % items.size()].what);
    notify(std::move(message), true);
    return UiAction::redraw;
}

UiAction Ui::handle_key(const InputEvent& e) {
    if (is_char(e, U'c')) return copy_selected();
    if (is_char(e, U'K')) return open_kill_dialog();
    if (is_char(e, U'A')) {
        state_.alerts_open = true;
        if (!live_->alerts.empty()) state_.alerts_seen = live_->alerts.back().sequence;
        return UiAction::redraw;
    }
    copy_row_.clear();
    if (is_char(e, U'q')) return UiAction::quit;
    if (is_char(e, U'?') || e.key == Key::f1) {
        state_.help_open = true;
        return UiAction::redraw;
    }
    if (e.key == Key::tab || e.key == Key::back_tab) {
        const std::size_t n = kTabCount;
        const std::size_t cur = static_cast<std::size_t>(state_.tab);
        set_tab(static_cast<Tab>(e.key == Key::tab ? (cur + 1) % n : (cur + n - 1) % n));
        return UiAction::redraw;
    }
    if (e.key == Key::character && e.ch >= U'1' && e.ch < U'1' + kTabCount && e.modifiers == 0) {
        set_tab(static_cast<Tab>(e.ch - U'1'));
        return UiAction::redraw;
    }
    if (is_char(e, U'/')) {
        open_prompt(state_.filter.text());
        return UiAction::redraw;
    }
    // Space and P (iftop's) pause the tables; o keeps only their order.
    if (is_char(e, U' ') || is_char(e, U'P')) return toggle_pause();
    if (is_char(e, U'o')) return toggle_order_freeze();
    if (is_char(e, U'p')) return toggle(state_.table.numeric_ports);
    if (is_char(e, U'd')) return toggle(state_.table.show_names);
    if (is_char(e, U'b')) return toggle(state_.table.bits);
    if (is_char(e, U'T')) return toggle(state_.table.totals);
    if (is_char(e, U't')) return toggle(state_.table.show_ended);
    if (is_char(e, U'a')) {
        state_.table.grouped = !state_.table.grouped;
        if (state_.tab != Tab::overview) set_tab(Tab::overview);
        rebuild();
        return UiAction::redraw;
    }
    if (is_char(e, U'w')) return toggle_geo_columns();
    if (is_char(e, U'i')) return toggle(state_.side_panel);
    if (is_char(e, U'x')) {
        state_.table.cleared_at_ns = snap_->ts_ns;
        state_.history.clear();
        rebuild();
        return UiAction::redraw;
    }
    switch (state_.tab) {
        case Tab::overview: return handle_overview_key(e);
        case Tab::details: return handle_details_key(e);
        case Tab::processes: return handle_processes_key(e);
        case Tab::graph: return UiAction::none;
        case Tab::listening: return handle_listening_key(e);
    }
    return UiAction::none;
}

// Country and Network go right after Remote (or at the end when the
// configured columns leave Remote out), or away again.
UiAction Ui::toggle_geo_columns() {
    auto& cols = state_.columns;
    const bool shown = std::any_of(cols.begin(), cols.end(), is_geo_column);
    if (shown) {
        // A table of geo columns alone (the config's choice) keeps them.
        if (std::all_of(cols.begin(), cols.end(), is_geo_column)) return UiAction::none;
        cols.erase(std::remove_if(cols.begin(), cols.end(), is_geo_column), cols.end());
        if (is_geo_column(state_.table.sort)) state_.table.sort = cols.front();
    } else {
        if (!snap_->geo_active) {
            notify("no geo databases: see --geoip-dir (scripts/fetch-geoip fetches free ones)");
            return UiAction::redraw;
        }
        auto at = std::find(cols.begin(), cols.end(), Column::remote);
        at = at == cols.end() ? cols.end() : at + 1;
        cols.insert(at, {Column::country, Column::network});
        std::string missing;
        for (const auto& note : snap_->geo_missing) missing += (missing.empty() ? "" : "; ") + note;
        if (!missing.empty()) notify(missing);
    }
    rebuild();
    return UiAction::redraw;
}

UiAction Ui::toggle(bool& flag) {
    flag = !flag;
    rebuild();
    return UiAction::redraw;
}

UiAction Ui::handle_prompt_key(const InputEvent& e) {
    auto& p = state_.prompt;
    p.cursor = std::min(p.cursor, p.text.size());
    const auto edited = [&p] {
        p.error.reset();
        return UiAction::redraw;
    };
    const auto show_history = [&p](std::size_t pos) {
        if (p.history_pos == p.history.size()) p.draft = p.text;
        p.history_pos = pos;
        p.text = pos == p.history.size() ? p.draft : p.history[pos];
        p.cursor = p.text.size();
        p.error.reset();
        return UiAction::redraw;
    };
    const bool ctrl = (e.modifiers & mod::ctrl) != 0;
    const auto is_ctrl = [&](char32_t c) { return e.key == Key::character && ctrl && e.ch == c; };
    if (e.key == Key::left || is_ctrl(U'b')) {
        p.cursor = char_before(p.text, p.cursor);
        return UiAction::redraw;
    }
    if (e.key == Key::right || is_ctrl(U'f')) {
        p.cursor = char_after(p.text, p.cursor);
        return UiAction::redraw;
    }
    if (e.key == Key::home || is_ctrl(U'a')) {
        p.cursor = 0;
        return UiAction::redraw;
    }
    if (e.key == Key::end || is_ctrl(U'e')) {
        p.cursor = p.text.size();
        return UiAction::redraw;
    }
    if (e.key == Key::up) return p.history_pos == 0 ? UiAction::none : show_history(p.history_pos - 1);
    if (e.key == Key::down)
        return p.history_pos >= p.history.size() ? UiAction::none : show_history(p.history_pos + 1);
    if (e.key == Key::backspace || is_ctrl(U'h')) {
        const std::size_t from = char_before(p.text, p.cursor);
        p.text.erase(from, p.cursor - from);
        p.cursor = from;
        return edited();
    }
    if (e.key == Key::del || is_ctrl(U'd')) {
        p.text.erase(p.cursor, char_after(p.text, p.cursor) - p.cursor);
        return edited();
    }
    if (is_ctrl(U'w')) {
        const std::size_t from = word_before(p.text, p.cursor);
        p.text.erase(from, p.cursor - from);
        p.cursor = from;
        return edited();
    }
    if (is_ctrl(U'u')) {  // readline: kill back to the start
        p.text.erase(0, p.cursor);
        p.cursor = 0;
        return edited();
    }
    if (is_ctrl(U'k')) {  // and to the end
        p.text.erase(p.cursor);
        return edited();
    }
    switch (e.key) {
        case Key::enter: apply_filter(); return UiAction::redraw;
        case Key::escape:
            p.open = false;
            p.error.reset();
            return UiAction::redraw;
        case Key::character: {
            if (e.modifiers & (mod::ctrl | mod::alt)) return UiAction::none;
            std::string bytes;
            append_utf8(bytes, e.ch);
            p.text.insert(p.cursor, bytes);
            p.cursor += bytes.size();
            return edited();
        }
        default: return UiAction::none;
    }
}

void Ui::open_prompt(std::string text) {
    auto& p = state_.prompt;
    p.open = true;
    p.text = std::move(text);
    p.cursor = p.text.size();
    p.error.reset();
    p.history_pos = p.history.size();
    p.draft.clear();
}

void Ui::apply_filter() {
    auto compiled = filter::compile(state_.prompt.text);
    if (!compiled) {
        // The table keeps the last good filter; the prompt stays open with
        // the complaint so the text can be fixed.
        state_.prompt.error = std::move(compiled).error();
        return;
    }
    state_.filter = std::move(compiled).value();
    auto& history = state_.prompt.history;
    const std::string& text = state_.filter.text();
    if (!text.empty()) {
        history.erase(std::remove(history.begin(), history.end(), text), history.end());
        history.push_back(text);
        if (history.size() > FilterPrompt::kHistory)
            history.erase(history.begin(), history.end() - FilterPrompt::kHistory);
    }
    state_.prompt.history_pos = history.size();
    state_.prompt.open = false;
    state_.prompt.error.reset();
    rebuild();
}

UiAction Ui::handle_overview_key(const InputEvent& e) {
    if (auto delta = movement(e, page_rows())) {
        move_selection(*delta);
        return UiAction::redraw;
    }
    const auto& rows = state_.connections.rows;
    const std::size_t sel = state_.connection_selected;
    const bool on_group = sel < rows.size() && rows[sel].kind == ConnectionRow::Kind::group;
    if (e.key == Key::enter) {
        if (on_group) {
            toggle_group(sel);
        } else {
            open_details();
        }
        return UiAction::redraw;
    }
    if (e.key == Key::right || is_char(e, U'l')) {
        if (!on_group) return UiAction::none;
        toggle_group(sel, true);
        return UiAction::redraw;
    }
    if (e.key == Key::left || is_char(e, U'h')) {
        if (sel >= rows.size() || !state_.table.grouped) return UiAction::none;
        toggle_group(sel, false);
        return UiAction::redraw;
    }
    if (is_char(e, U's')) {
        // The next shown column.
        const auto& cols = state_.columns;
        auto it = std::find(cols.begin(), cols.end(), state_.table.sort);
        state_.table.sort = (it == cols.end() || it + 1 == cols.end()) ? cols.front() : *(it + 1);
        state_.table.sort_reverse = false;
        rebuild();
        return UiAction::redraw;
    }
    if (is_char(e, U'S')) {
        state_.table.sort_reverse = !state_.table.sort_reverse;
        rebuild();
        return UiAction::redraw;
    }
    return UiAction::none;
}

UiAction Ui::handle_details_key(const InputEvent& e) {
    if (e.key == Key::escape || e.key == Key::backspace || e.key == Key::left || is_char(e, U'h')) {
        set_tab(state_.details_return);
        return UiAction::redraw;
    }
    if (auto delta = movement(e, page_rows())) {
        move_selection(*delta);
        return UiAction::redraw;
    }
    return UiAction::none;
}

UiAction Ui::handle_listening_key(const InputEvent& e) {
    if (auto delta = movement(e, page_rows())) {
        move_selection(*delta);
        return UiAction::redraw;
    }
    if (e.key == Key::enter && state_.listening_selected < state_.listening.size()) {
        // Its connections: the overview, filtered to the port (live flows'
        // source is this host's end), grouped by process.
        const ListeningRow& row = state_.listening[state_.listening_selected];
        state_.prompt.text = "proto:" + std::string(row.ip_proto == 17 ? "udp" : "tcp") +
                             " and sport:" + std::to_string(row.port);
        apply_filter();
        state_.table.grouped = true;
        set_tab(Tab::overview);
        rebuild();
        return UiAction::redraw;
    }
    return UiAction::none;
}

UiAction Ui::handle_processes_key(const InputEvent& e) {
    // g groups here; Home still goes to the first row.
    if (is_char(e, U'g')) {
        state_.process_grouping = static_cast<ProcessGrouping>(
            (static_cast<std::size_t>(state_.process_grouping) + 1) % kProcessGroupingCount);
        state_.process_selected = 0;
        state_.process_scroll = 0;
        rebuild();
        return UiAction::redraw;
    }
    if (auto delta = movement(e, page_rows())) {
        move_selection(*delta);
        return UiAction::redraw;
    }
    const bool by_program = state_.process_grouping == ProcessGrouping::program;
    if (by_program && state_.process_selected < state_.processes.size()) {
        const ProcessRow& row = state_.processes[state_.process_selected];
        const bool program_row = !row.member && row.process != nullptr;
        const bool open = e.key == Key::right || is_char(e, U'l');
        const bool close = e.key == Key::left || is_char(e, U'h');
        if (program_row && (e.key == Key::enter || open || close)) {
            // Enter toggles, → opens, ← closes a program's processes.
            const bool expand = open || (e.key == Key::enter && state_.expanded_programs.count(row.key) == 0);
            if (expand) {
                state_.expanded_programs.insert(row.key);
            } else {
                state_.expanded_programs.erase(row.key);
            }
            rebuild();
            return UiAction::redraw;
        }
        if (row.member && close) {
            // From one of its processes: close the program and select it.
            const std::string program = "prog:" + row.label;
            state_.expanded_programs.erase(program);
            rebuild();
            for (std::size_t i = 0; i < state_.processes.size(); ++i) {
                if (state_.processes[i].key == program) {
                    select_row(i);
                    break;
                }
            }
            return UiAction::redraw;
        }
    }
    if (e.key == Key::enter && state_.process_grouping == ProcessGrouping::remote_host &&
        state_.process_selected < state_.processes.size()) {
        // A host's connections: the overview, filtered to it, grouped by process.
        const auto& row = state_.processes[state_.process_selected];
        state_.prompt.text = "dst:" + row.key.substr(row.key.find(':') + 1);
        apply_filter();
        state_.table.grouped = true;
        set_tab(Tab::overview);
        rebuild();
        return UiAction::redraw;
    }
    if (e.key == Key::enter && state_.process_grouping == ProcessGrouping::container &&
        state_.process_selected < state_.processes.size()) {
        // A container's connections: the overview, filtered to it, grouped by process.
        const auto& row = state_.processes[state_.process_selected];
        if (!row.process) return UiAction::none;  // the host's or nobody's: no keyword names them
        state_.prompt.text = "container:" + row.process->container.substr(0, 12);
        apply_filter();
        state_.table.grouped = true;
        set_tab(Tab::overview);
        rebuild();
        return UiAction::redraw;
    }
    if (e.key == Key::enter && state_.process_selected < state_.processes.size()) {
        // Show this process' connections: the grouped overview, opened on it.
        const std::string key = state_.processes[state_.process_selected].key;
        state_.table.grouped = true;
        state_.expanded.insert(key);
        set_tab(Tab::overview);
        rebuild();
        const auto& rows = state_.connections.rows;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].kind == ConnectionRow::Kind::group && rows[i].group_key == key) {
                select_row(i);
                break;
            }
        }
        return UiAction::redraw;
    }
    if (is_char(e, U's')) {
        state_.process_sort = static_cast<ProcessColumn>(
            (static_cast<std::size_t>(state_.process_sort) + 1) % kProcessColumnCount);
        state_.process_sort_reverse = false;
        rebuild();
        return UiAction::redraw;
    }
    if (is_char(e, U'S')) {
        state_.process_sort_reverse = !state_.process_sort_reverse;
        rebuild();
        return UiAction::redraw;
    }
    return UiAction::none;
}

std::size_t Ui::current_row_count() const {
    switch (state_.tab) {
        case Tab::overview: return state_.connections.rows.size();
        case Tab::processes: return state_.processes.size();
        case Tab::details:
            return state_.details ? detail_lines(*state_.details, state_, snap_->ts_ns).size() : 0;
        case Tab::graph: return 0;
        case Tab::listening: return state_.listening.size();
    }
    return 0;
}

void Ui::move_selection(long delta) {
    const std::size_t count = current_row_count();
    if (count == 0) return;
    if (state_.tab == Tab::graph) return;
    std::size_t& pos = state_.tab == Tab::overview    ? state_.connection_selected
                       : state_.tab == Tab::processes ? state_.process_selected
                       : state_.tab == Tab::listening ? state_.listening_selected
                                                      : state_.details_scroll;
    const long target = std::clamp(static_cast<long>(pos) + delta, 0L, static_cast<long>(count) - 1);
    pos = static_cast<std::size_t>(target);
    scroll_into_view();
}

void Ui::select_row(std::size_t row) {
    if (state_.tab == Tab::overview && row < state_.connections.rows.size()) {
        state_.connection_selected = row;
    } else if (state_.tab == Tab::processes && row < state_.processes.size()) {
        state_.process_selected = row;
    } else if (state_.tab == Tab::listening && row < state_.listening.size()) {
        state_.listening_selected = row;
    }
    scroll_into_view();
}

void Ui::toggle_group(std::size_t row, std::optional<bool> expand) {
    const auto& rows = state_.connections.rows;
    if (row >= rows.size()) return;
    const std::string key = rows[row].group_key;
    const bool on_group = rows[row].kind == ConnectionRow::Kind::group;
    const bool open = expand ? *expand : state_.expanded.count(key) == 0;
    if (open) {
        state_.expanded.insert(key);
    } else {
        state_.expanded.erase(key);
    }
    // Collapsing from a member row moves the selection to its group.
    if (!on_group && !open) {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].kind == ConnectionRow::Kind::group && rows[i].group_key == key) {
                state_.connection_selected = i;
                break;
            }
        }
    }
    rebuild();
}

void Ui::open_details() {
    const snapshot::FlowRecord* f = selected_flow();
    if (f == nullptr) return;
    details_id_ = snapshot::FlowId::of(*f);
    state_.details = *f;
    state_.details_live = true;
    state_.details_scroll = 0;
    state_.details_return = state_.tab == Tab::details ? Tab::overview : state_.tab;
    state_.tab = Tab::details;
}

void Ui::set_tab(Tab t) {
    if (t == Tab::details) {
        // Show the connection selected on the overview, if any.
        const Tab from = state_.tab;
        if (selected_flow() != nullptr) {
            open_details();
        }
        state_.tab = Tab::details;
        if (from != Tab::details) state_.details_return = from;
        return;
    }
    const bool build = (t == Tab::processes || t == Tab::listening) && state_.tab != t;
    state_.tab = t;
    if (build) rebuild();  // the Processes and Listening tables are built only while shown
    scroll_into_view();
}

UiAction Ui::handle_mouse(const InputEvent& e) {
    if (state_.help_open) {
        if (e.mouse != MouseAction::press) return UiAction::none;
        state_.help_open = false;
        return UiAction::redraw;
    }
    if (e.mouse == MouseAction::wheel_up || e.mouse == MouseAction::wheel_down) {
        move_selection(e.mouse == MouseAction::wheel_up ? -kWheelRows : kWheelRows);
        return UiAction::redraw;
    }
    if (e.mouse != MouseAction::press || e.button != MouseButton::left) return UiAction::none;
    const ScreenLayout s = screen_layout(width_, height_);
    if (e.y == s.tab_bar_y) {
        const auto rects = tab_rects(s.tab_bar_y);
        for (std::size_t i = 0; i < rects.size(); ++i) {
            if (rects[i].contains(e.x, e.y)) {
                set_tab(static_cast<Tab>(i));
                return UiAction::redraw;
            }
        }
        return UiAction::none;
    }
    if (state_.tab == Tab::overview) {
        const OverviewLayout l = overview_layout(s.content, state_);
        const auto& rows = state_.connections.rows;
        if (e.y == l.header_y && l.table.contains(e.x, e.y)) {
            // Clicking a header sorts by it; clicking it again reverses.
            const int placed = l.placed.column_at(e.x - l.table.x - 1);
            if (placed < 0) return UiAction::none;
            const Column c = state_.columns[static_cast<std::size_t>(placed)];
            if (c == state_.table.sort) {
                state_.table.sort_reverse = !state_.table.sort_reverse;
            } else {
                state_.table.sort = c;
                state_.table.sort_reverse = false;
            }
            rebuild();
            return UiAction::redraw;
        }
        if (!l.table.contains(e.x, e.y) || e.y < l.rows_y) return UiAction::none;
        const std::size_t first = scroll_to_show(state_.connection_scroll, state_.connection_selected,
                                                 l.visible_rows, rows.size());
        const std::size_t row = first + static_cast<std::size_t>(e.y - l.rows_y);
        if (row >= rows.size()) return UiAction::none;
        state_.connection_scroll = first;
        select_row(row);
        if (e.clicks >= 2) {
            if (rows[row].kind == ConnectionRow::Kind::group) {
                toggle_group(row);
            } else {
                open_details();
            }
        }
        return UiAction::redraw;
    }
    if (state_.tab == Tab::processes) {
        const ProcessesLayout l = processes_layout(s.content, state_);
        if (!l.table.contains(e.x, e.y) || e.y < l.rows_y) return UiAction::none;
        const std::size_t first = scroll_to_show(state_.process_scroll, state_.process_selected,
                                                 l.visible_rows, state_.processes.size());
        const std::size_t row = first + static_cast<std::size_t>(e.y - l.rows_y);
        if (row >= state_.processes.size()) return UiAction::none;
        state_.process_scroll = first;
        select_row(row);
        if (e.clicks >= 2) return handle_processes_key(InputEvent{InputEvent::Kind::key, Key::enter});
        return UiAction::redraw;
    }
    return UiAction::none;
}

}  // namespace sockeye::tui
