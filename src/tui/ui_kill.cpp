// K: stop the selected process after the user confirms (SIGTERM, then
// SIGKILL on a second confirmation). The signal itself is the app's
// (allow_signals(), only with --allow-kill): the UI never signals anyone.
#include <signal.h>

#include "tui/history.hpp"
#include "tui/ui.hpp"

namespace sockeye::tui {

std::shared_ptr<const snapshot::ProcessInfo> Ui::selected_process(std::string& why) const {
    why = "no process is selected";
    switch (state_.tab) {
        case Tab::overview: {
            if (const snapshot::FlowRecord* f = selected_flow(); f != nullptr) {
                if (!f->process) why = "this connection has no known process";
                return f->process;
            }
            // A group row: the process all its flows share.
            const auto& rows = state_.connections.rows;
            if (state_.connection_selected >= rows.size()) return nullptr;
            const std::string& key = rows[state_.connection_selected].group_key;
            for (const auto& f : snap_->flows)
                if (f.process && process_key(f) == key) return f.process;
            why = "this group has no known process";
            return nullptr;
        }
        case Tab::details:
            if (state_.details && state_.details->process) return state_.details->process;
            why = "this connection has no known process";
            return nullptr;
        case Tab::processes: {
            if (state_.process_selected >= state_.processes.size()) return nullptr;
            const ProcessRow& row = state_.processes[state_.process_selected];
            const bool one_process = state_.process_grouping == ProcessGrouping::process || row.member ||
                                     (state_.process_grouping == ProcessGrouping::program &&
                                      row.process_count == 1);
            if (one_process && row.process) return row.process;
            why = one_process ? "this row has no known process"
                              : "K stops one process: pick a pid (g: rows by pid, or open the program)";
            return nullptr;
        }
        case Tab::graph: return nullptr;
        case Tab::listening:
            if (state_.listening_selected < state_.listening.size() &&
                state_.listening[state_.listening_selected].process)
                return state_.listening[state_.listening_selected].process;
            why = state_.listening.empty() ? "no listening socket is selected"
                                           : "this socket's process is not known";
            return nullptr;
    }
    return nullptr;
}

UiAction Ui::open_kill_dialog() {
    if (!signaller_) {
        notify("K (stop a process) needs --allow-kill: without it the sandbox keeps no right to "
               "signal other processes");
        return UiAction::redraw;
    }
    std::string why;
    auto target = selected_process(why);
    if (!target) {
        notify(why);
        return UiAction::redraw;
    }
    state_.kill = KillDialog{};
    state_.kill.open = true;
    state_.kill.target = std::move(target);
    return UiAction::redraw;
}

UiAction Ui::handle_kill_key(const InputEvent& e) {
    KillDialog& d = state_.kill;
    if (e.key == Key::escape || is_char(e, U'n') || is_char(e, U'q')) {
        d = KillDialog{};
        return UiAction::redraw;
    }
    if (!is_char(e, U'y')) return UiAction::none;  // only y: Enter is too easily pressed twice
    const int sig = d.term_sent ? SIGKILL : SIGTERM;
    const auto sent = signaller_(*d.target, sig);
    const std::string name = (d.target->name.empty() ? d.target->comm : d.target->name) + " (" +
                             std::to_string(d.target->pid) + ")";
    if (!sent) {
        d.failed = true;
        d.outcome = sent.error().message;
        return UiAction::redraw;
    }
    if (sig == SIGKILL) {
        // Nothing is left to send: close, and say so where the hints go.
        d = KillDialog{};
        notify("SIGKILL sent to " + name, true);
        return UiAction::redraw;
    }
    d.term_sent = true;
    d.failed = false;
    d.outcome = "SIGTERM sent to " + name + ". If it does not end, y sends SIGKILL.";
    return UiAction::redraw;
}

}  // namespace sockeye::tui
