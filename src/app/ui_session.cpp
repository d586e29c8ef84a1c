#include "app/ui_session.hpp"

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
#include "pipeline/engine.hpp"
#include "app/export_set.hpp"
#include "pipeline/paced_source.hpp"
#include "app/sandbox_setup.hpp"
#include "app/snapshot_enricher.hpp"
#include "pipeline/snapshot_exchange.hpp"
#include "tui/render/ansi_writer.hpp"
#include "tui/render/color_mode.hpp"
#include "tui/term/input_decoder.hpp"
#include "tui/term/terminal.hpp"
#include "tui/theme.hpp"
#include "tui/ui.hpp"

namespace sockeye::app {
namespace {

using Clock = std::chrono::steady_clock;

// "10 s", "2.5 s".
std::string format_seconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", seconds);
    return text;
}

std::int64_t monotonic_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
        .count();
}

// The packet thread: owns the engine; builds a snapshot whenever the UI asks
// and once more when the source ends.
class PacketPump {
public:
    PacketPump(capture::PacketSource& source, const Options& options, pipeline::SnapshotExchange& exchange)
        : source_(source), options_(options), exchange_(exchange),
          live_(options.read_file.empty()), enricher_(options, live_, live_) {
        if (!live_ && options.speed > 0)
            paced_ = std::make_unique<pipeline::PacedSource>(source, options.speed);
        engine_ = std::make_unique<pipeline::Engine>(
            source.link_type(), engine_options_for(options, live_ ? &enricher_ : nullptr));
        exports_ = ExportSet::open(options, source, live_, &enricher_, open_error_);
    }

    // Why the exports could not start (a file that cannot be created); the
    // UI must not open then.
    [[nodiscard]] const std::string& open_error() const { return open_error_; }

    // Start-up after the sandbox (see sandbox_setup.hpp): the constructor
    // opened every handle, start_attribution() runs inside sandbox::apply(),
    // start_helpers() afterwards.
    [[nodiscard]] RunNeeds needs() const {
        RunNeeds n;
        n.attribution = enricher_.attributes();
        n.reverse_dns = enricher_.resolves();
        return n;
    }
    void start_attribution() { enricher_.start_attribution(); }
    void start_helpers(snapshot::SandboxStatus sandbox) {
        sandbox_ = std::move(sandbox);
        enricher_.start_resolver();
        if (exports_) exports_->start();
    }

    void run() {
        capture::PacketSource& source = paced_ ? *paced_ : source_;
        const auto started = Clock::now();
        std::uint64_t frames = 0;
        core::RawFrame frame;
        // Unless the loop says otherwise, the user stopped it.
        snapshot::CaptureState end = snapshot::CaptureState::stopped;
        std::string end_note;
        while (!stop_.load(std::memory_order_relaxed)) {
            const auto status = source.next(frame);
            if (status == capture::NextStatus::frame) {
                engine_->process(frame);
                if (exports_) exports_->on_frame(frame, *engine_);
                if (options_.count != 0 && ++frames >= options_.count) {
                    end_note = "after -c " + std::to_string(options_.count) + " packets";
                    break;
                }
            } else if (status == capture::NextStatus::timeout) {
                engine_->tick(paced_ ? paced_->replay_time_ns() : wall_clock_ns());
            } else if (status == capture::NextStatus::end) {
                if (!live_) end = snapshot::CaptureState::end_of_file;
                break;
            } else {
                error_ = source.error();
                end = snapshot::CaptureState::failed;
                end_note = error_;
                break;
            }
            if (live_ && options_.duration_s > 0 &&
                Clock::now() - started >= std::chrono::duration<double>(options_.duration_s)) {
                end_note = "after -d " + format_seconds(options_.duration_s);
                break;
            }
            if (exchange_.take_request()) publish(true);
        }
        // From here on the counters stand still: the kernel would go on
        // counting drops on a handle nobody reads any more.
        final_stats_ = source_.stats();
        ended_ = true;
        end_state_ = end;
        end_note_ = std::move(end_note);
        auto last = publish(error_.empty());
        if (exports_) exports_->finish(*last);
        exchange_.mark_finished();
        // The capture is over but the user is still looking: keep answering
        // (names and processes may still arrive) until the UI quits.
        while (!stop_.load(std::memory_order_relaxed)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (exchange_.take_request()) publish(error_.empty());
        }
    }

    void stop() {
        stop_.store(true);
        source_.interrupt();
        if (paced_) paced_->interrupt();
    }
    [[nodiscard]] const std::string& error() const { return error_; }
    // What each export wrote and lost; final once run() has returned.
    [[nodiscard]] std::vector<snapshot::ExportCounters> export_counters() const {
        return exports_ ? exports_->counters() : std::vector<snapshot::ExportCounters>{};
    }

private:
    std::shared_ptr<const snapshot::Snapshot> publish(bool complete) {
        auto snap = std::make_shared<snapshot::Snapshot>(engine_->snapshot());
        snap->wall_ns = wall_clock_ns();
        snap->source.name = source_.name();
        snap->source.complete = complete;
        snap->source.live = live_;
        if (ended_) {
            snap->source.state = end_state_;
            snap->source.state_note = end_note_;
        }
        const auto st = ended_ ? final_stats_ : source_.stats();
        snap->capture = {st.received, st.dropped, st.interface_dropped};
        enricher_.enrich(*snap, *engine_);
        snap->sandbox = sandbox_;
        if (exports_) {
            exports_->on_snapshot(*snap);
            snap->exports = exports_->counters();
        }
        exchange_.publish(snap);
        return snap;
    }

    capture::PacketSource& source_;
    const Options& options_;
    pipeline::SnapshotExchange& exchange_;
    bool live_;
    SnapshotEnricher enricher_;
    std::unique_ptr<pipeline::PacedSource> paced_;
    std::unique_ptr<pipeline::Engine> engine_;
    // After enricher_: the pcapng writer asks it for processes until the
    // exports are destroyed, which members declared later are first.
    std::unique_ptr<ExportSet> exports_;
    std::string open_error_;
    snapshot::SandboxStatus sandbox_;  // set before the thread starts
    std::atomic<bool> stop_{false};
    std::string error_;
    // Set once the capture loop is over (packet thread only).
    bool ended_ = false;
    snapshot::CaptureState end_state_ = snapshot::CaptureState::running;
    std::string end_note_;
    capture::SourceStats final_stats_;
};

tui::UiOptions ui_options(const Options& options, const UiConfig& config) {
    tui::UiOptions ui;
    ui.no_color = tui::no_color_requested();
    ui.theme = options.theme.empty() ? config.theme : options.theme;
    ui.refresh_ms = options.refresh_ms;
    ui.filter = config.filter;
    for (const auto& name : config.columns) {
        if (auto column = tui::column_from_name(name)) ui.columns.push_back(*column);
    }
    if (auto column = tui::column_from_name(config.sort)) {
        ui.sort = *column;
        // The UI sorts numbers largest first and text A to Z unless reversed.
        ui.sort_reverse = tui::column_is_numeric(*column) ? !config.sort_descending
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
    if (std::string bad = tui::check_options(ui_opts); !bad.empty()) {
        result.error = bad;
        return result;
    }

    pipeline::SnapshotExchange exchange;
    PacketPump pump(source, options, exchange);
    if (!pump.open_error().empty()) {
        result.error = pump.open_error();
        return result;
    }
    tui::Terminal term;
    if (std::string err = term.open(); !err.empty()) {
        result.error = "cannot open the terminal UI: " + err;
        return result;
    }
    // Every handle is open (capture, sockets, exports, terminal, config):
    // the sandbox, then the threads. Gaps show in the side panel.
    RunNeeds needs = pump.needs();
    needs.config_path = settings.config_path;
    SandboxOutcome sandboxed = enter_sandbox(options, sandbox_request_for(options, needs),
                                             [&pump] { pump.start_attribution(); }, false);
    if (!sandboxed.error.empty()) {
        term.close();
        result.error = sandboxed.error;
        return result;
    }
    pump.start_helpers(std::move(sandboxed.status));
    std::thread packets([&pump] { pump.run(); });

    tui::Ui ui(ui_opts);
    Screen screen(term, tui::detect_color_mode());
    tui::InputDecoder decoder;
    tui::ClickTracker clicks;
    std::uint64_t seen = 0;
    bool dirty = true;
    const auto refresh = std::chrono::milliseconds(options.refresh_ms);
    auto next_refresh = Clock::now();
    std::string input;
    bool quit = false;
    bool have_snapshot = false;

    while (!quit && !tui::Terminal::stop_requested()) {
        const auto now = Clock::now();
        if (now >= next_refresh) {
            exchange.request();
            next_refresh = now + refresh;
        }
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

        // Wake for input, the next refresh, or soon after a snapshot request.
        const auto until_refresh = std::chrono::duration_cast<std::chrono::milliseconds>(
            next_refresh - Clock::now());
        int timeout_ms = static_cast<int>(std::clamp<std::int64_t>(until_refresh.count(), 0, 50));
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
            if (action == tui::UiAction::quit) {
                quit = true;
                break;
            }
            if (action == tui::UiAction::redraw) dirty = true;
        }
    }

    pump.stop();
    packets.join();
    term.close();
    result.error = pump.error();
    // The same account the other modes give, now that the screen is back.
    const auto exported = pump.export_counters();
    std::fputs(export_totals_text(exported).c_str(), stderr);
    result.export_loss = export_lost_records(exported);
    return result;
}

}  // namespace sockeye::app
