// The terminal UI's state and controller. app/ui_mode.cpp feeds it snapshots
// (update), input (handle) and asks it for a screen (render); it never
// touches the terminal itself, so the whole UI runs in tests without one.
//
//   tui::UiOptions options;                 // from the command line / config
//   options.no_color = tui::no_color_requested();
//   tui::Ui ui(options);
//   ui.update(engine.snapshot());           // every refresh_ms
//   tui::Buffer screen(cols, rows);
//   ui.render(screen);                      // then diff + ANSI-write it
//   if (ui.handle(event) == tui::UiAction::quit) break;
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "snapshot/flow_id.hpp"
#include "snapshot/snapshot.hpp"
#include "tui/render/buffer.hpp"
#include "tui/term/input_event.hpp"
#include "tui/ui_options.hpp"
#include "tui/view_state.hpp"

namespace sockeye::tui {

enum class UiAction : std::uint8_t {
    none,    // nothing changed
    redraw,  // the screen changed: render and write it
    quit,    // the user asked to leave
};

// Sends a signal to a process the user picked (host::signal_process, which
// checks the pid still is that process); given only with --allow-kill.
using ProcessSignaller = std::function<core::Result<void>(const snapshot::ProcessInfo&, int signal)>;

class Ui {
public:
    explicit Ui(UiOptions options = {});

    // K stops the selected process (confirmed in a dialog) only once this
    // is set; without it K says why it cannot.
    void allow_signals(ProcessSignaller signaller) { signaller_ = std::move(signaller); }

    // A new snapshot; keeps the selection on the same flow and records
    // history (graph, per-process peaks).
    void update(std::shared_ptr<const snapshot::Snapshot> snap);
    UiAction handle(const InputEvent& event);
    // A one-line message in place of the key hints until the next key:
    // a problem ("Ctrl+Z ignored: ...", error colour) or what a key did
    // ("copied ...", `news`: accent colour).
    void notify(std::string message, bool news = false);
    // Draws the whole screen into `buf` at its current size. Remembers the
    // size so mouse clicks and page keys match what was drawn.
    void render(Buffer& buf) const;
    // Bytes for the terminal besides the screen (the clipboard sequence `c`
    // makes); the caller writes them after the next frame. Empties the queue.
    [[nodiscard]] std::string take_output();
    // Optional: tell the UI the screen size before the first render.
    void resize(int width, int height);

    [[nodiscard]] const ViewState& state() const { return state_; }
    [[nodiscard]] const snapshot::Snapshot& snapshot() const { return *snap_; }
    // The flow the selection is on (overview), or null on a group row / empty table.
    [[nodiscard]] const snapshot::FlowRecord* selected_flow() const;
    // The filter's text in effect (the last good one).
    [[nodiscard]] const std::string& filter_text() const { return state_.filter.text(); }

private:
    // What the overview selection is on, to find it again after a rebuild.
    struct SelectionKey {
        bool valid = false;
        bool group = false;
        std::string group_key;
        snapshot::FlowId flow;
    };
    [[nodiscard]] SelectionKey selection_key() const;

    UiAction handle_key(const InputEvent& e);
    UiAction handle_prompt_key(const InputEvent& e);
    UiAction handle_mouse(const InputEvent& e);
    UiAction handle_overview_key(const InputEvent& e);
    UiAction handle_details_key(const InputEvent& e);
    UiAction handle_processes_key(const InputEvent& e);
    UiAction handle_listening_key(const InputEvent& e);
    UiAction toggle(bool& flag);
    UiAction toggle_geo_columns();
    UiAction toggle_pause();
    UiAction copy_selected();
    UiAction open_kill_dialog();                    // K (ui_kill.cpp)
    UiAction handle_kill_key(const InputEvent& e);  // while the dialog is open
    // The process K would stop: the selected flow's, pid row's or the
    // open connection's; null (with the reason in `why`) when none is.
    std::shared_ptr<const snapshot::ProcessInfo> selected_process(std::string& why) const;
    UiAction toggle_order_freeze();

    // Rebuilds the tables from the snapshot and puts the selection back on
    // the row it was on.
    void rebuild();
    // Shows `next` (a newer snapshot, or the same again), the selection kept
    // on the row it was on.
    void show(std::shared_ptr<const snapshot::Snapshot> next);
    void rebuild_with(const SelectionKey& key, const std::string& process_key_before);
    void move_selection(long delta);  // on the current tab; clamped
    void select_row(std::size_t row);
    void scroll_into_view();
    void open_details();
    void toggle_group(std::size_t row, std::optional<bool> expand = std::nullopt);
    void set_tab(Tab t);
    void apply_filter();
    void open_prompt(std::string text);  // the filter prompt, cursor at the end
    [[nodiscard]] std::size_t page_rows() const;
    [[nodiscard]] std::size_t current_row_count() const;
    // Resume: remember what moved between the paused snapshot and `now`.
    void remember_changes(const snapshot::Snapshot& paused, const snapshot::Snapshot& now);
    void mark_rows();  // sets the rows' `marked` while the marks last
    void keep_order();  // `o`: puts the rebuilt rows back in the recorded order

    UiOptions options_;
    ViewState state_;
    std::shared_ptr<const snapshot::Snapshot> snap_;  // what the tables show
    std::shared_ptr<const snapshot::Snapshot> live_;  // the newest (differs from snap_ while paused)
    // Changed while paused: flows, overview groups and Processes rows.
    std::unordered_set<snapshot::FlowId, snapshot::FlowIdHash> marked_flows_;
    std::unordered_set<std::string> marked_groups_, marked_processes_;
    // The order `o` keeps: each row's rank when it was recorded, and what the
    // tables were sorted and grouped by then (a new sort records it again).
    struct FrozenOrder {
        std::string signature;
        std::unordered_map<snapshot::FlowId, std::size_t, snapshot::FlowIdHash> flows;
        std::unordered_map<std::string, std::size_t> keys;  // overview groups, Processes rows
    };
    std::optional<FrozenOrder> connection_order_, process_order_;
    std::optional<snapshot::FlowId> details_id_;
    std::string selected_process_;  // processes tab selection (process key)
    ProcessSignaller signaller_;  // see allow_signals()
    std::string output_;     // see take_output()
    std::string copy_row_;   // the row the last `c` copied from ("" after any other key)
    std::size_t copy_step_ = 0;  // which of its values that was
    mutable int width_ = 80;
    mutable int height_ = 24;
};

}  // namespace sockeye::tui
