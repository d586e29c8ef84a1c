#include "app/ui_mode.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/config.hpp"
#include "app/export_table.hpp"
#include "app/sandbox_setup.hpp"
#include "host/process_signal.hpp"
#include "pipeline/pipeline.hpp"
#include "tui/render/ansi_writer.hpp"
#include "tui/render/color_mode.hpp"
#include "tui/term/input_decoder.hpp"
#include "tui/term/terminal.hpp"
#include "tui/theme.hpp"
#include "tui/ui.hpp"

namespace sockeye::app {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t monotonic_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
        .count();
}

tui::UiOptions ui_options(const Options& options, const UiConfig& config) {
    tui::UiOptions ui;
    ui.no_color = tui::no_color_requested();
    ui.theme = options.theme.empty() ? config.theme : options.theme;
    ui.refresh_ms = options.refresh_ms;
    ui.filter = config.filter;
    ui.table.bits = options.bits;
    for (const auto& name : config.columns) {
        if (auto column = tui::column_from_name(name)) ui.columns.push_back(*column);
    }
    if (auto column = tui::column_from_name(config.sort)) {
        ui.table.sort = *column;
        // The UI sorts numbers largest first and text A to Z unless reversed.
        ui.table.sort_reverse = tui::column_is_numeric(*column) ? !config.sort_descending
                                                          : config.sort_descending;
    }
    return ui;
}

// Draws the UI into `next` and writes the difference from `previous`.
class Screen {
public:
    Screen(tui::Terminal& term, tui::ColorMode mode) : term_(term), mode_(mode) {}

    void invalidate() { have_previous_ = false; }

    bool draw(const tui::Ui& ui) {
        const auto size = term_.size();
        if (next_.width() != size.cols || next_.height() != size.rows) {
            next_.resize(size.cols, size.rows);
            have_previous_ = false;
        } else {
            next_.clear();
        }
        ui.render(next_);
        bytes_.clear();
        tui::append_frame(bytes_, have_previous_ ? &previous_ : nullptr, next_, mode_);
        std::swap(previous_, next_);
        have_previous_ = true;
        return bytes_.empty() || term_.write_all(bytes_);
    }

private:
    tui::Terminal& term_;
    tui::ColorMode mode_;
    tui::Buffer previous_, next_;
    bool have_previous_ = false;
    std::string bytes_;
};

}  // namespace

RunResult run_ui(capture::PacketSource& source, const Settings& settings) {
    RunResult result;
    const Options& options = settings.options;
    tui::UiOptions ui_opts = ui_options(options, settings.config);
    // The UI's own options come from the config file (the command line's
    // were checked when parsed): a bad one is the file's.
    if (std::string bad = tui::check_options(ui_opts); !bad.empty()) {
        result.error = core::Error{core::ErrorCode::bad_format, bad};
        return result;
    }

    auto opened = Session::open(source, options, Watcher::terminal_ui);
    if (!opened) {
        result.error = std::move(opened).error();
        return result;
    }
    const std::unique_ptr<Session> session = std::move(opened).value();
    tui::Terminal term;
    if (std::string err = term.open(); !err.empty()) {
        result.error = core::Error{core::ErrorCode::io, "cannot open the terminal UI: " + err};
        return result;
    }
    // Every handle is open (capture, sockets, exports, terminal, config):
    // the sandbox, then the threads. Gaps show in the side panel.
    const SandboxOutcome sandboxed = session->enter_sandbox(settings.config_path, false);
    if (sandboxed.error) {
        term.close();
        result.error = sandboxed.error;
        return result;
    }
    pipeline::Pipeline& pipeline = session->pipeline();
    pipeline::SnapshotExchange& exchange = pipeline.exchange();
    pipeline.start();

    tui::Ui ui(ui_opts);
    if (settings.options.allow_kill) ui.allow_signals(host::signal_process);
    Screen screen(term, tui::detect_color_mode());
    tui::InputDecoder decoder;
    tui::ClickTracker clicks;
    std::uint64_t seen = 0;
    bool dirty = true;
    std::string input;
    bool quit = false;
    bool have_snapshot = false;

    while (!quit && !tui::Terminal::stop_requested()) {
        if (auto snap = exchange.take_newer(seen)) {
            ui.update(std::move(snap));
            have_snapshot = true;
            dirty = true;
        }
        if (term.take_resize()) {
            screen.invalidate();
            dirty = true;
        }
        if (dirty && have_snapshot) {
            if (!screen.draw(ui)) break;  // the terminal went away
            dirty = false;
        }

        // Wake for input, or to look for a newer snapshot (published at
        // each refresh).
        int timeout_ms = std::clamp(options.refresh_ms / 4, 10, 50);
        if (decoder.has_pending()) timeout_ms = 25;
        input.clear();
        const int n = term.read_input(input, timeout_ms);
        if (n < 0) break;  // end of input: the terminal closed
        std::vector<tui::InputEvent> events =
            n > 0 ? decoder.feed(input)
                  : (decoder.has_pending() ? decoder.flush_pending() : std::vector<tui::InputEvent>{});
        for (auto& event : events) {
            // Raw mode delivers Ctrl+Z as a key: give the shell its screen back.
            if (event.key == tui::Key::character && event.modifiers == tui::mod::ctrl &&
                event.ch == U'z') {
                if (term.can_suspend()) {
                    term.suspend();
                    screen.invalidate();
                } else {
                    ui.notify("Ctrl+Z ignored: no shell with job control could resume sockeye "
                              "(q quits)");
                }
                dirty = true;
                continue;
            }
            clicks.track(event, monotonic_ms());
            const tui::UiAction action = ui.handle(event);
            // The clipboard sequence of `c` (OSC 52): not part of any frame.
            if (const std::string out = ui.take_output(); !out.empty()) (void)term.write_all(out);
            if (action == tui::UiAction::quit) {
                quit = true;
                break;
            }
            if (action == tui::UiAction::redraw) dirty = true;
        }
    }

    pipeline.stop();
    pipeline.join();
    term.close();
    result.error = capture_failure(pipeline);
    // The same account the other modes give, now that the screen is back.
    const auto exported = session->exports().counters();
    std::fputs(export_totals_text(exported).c_str(), stderr);
    result.export_loss = export_lost_records(exported);
    return result;
}

}  // namespace sockeye::app
