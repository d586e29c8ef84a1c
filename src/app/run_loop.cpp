#include "app/run_loop.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>

#include "app/engine.hpp"
#include "app/export_set.hpp"
#include "app/snapshot_enricher.hpp"
#include "export/jsonl.hpp"
#include "export/summary_table.hpp"

namespace sockeye::app {
namespace {

// The signal handler may only touch lock-free atomics; it asks the source to
// stop through this pointer (pcap_breakloop is async-signal-safe).
std::atomic<capture::PacketSource*> g_interruptible{nullptr};
std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
    g_stop.store(true);
    if (auto* s = g_interruptible.load()) s->interrupt();
}

class StopSignals {
public:
    explicit StopSignals(capture::PacketSource& source) {
        g_stop.store(false);
        g_interruptible.store(&source);
        struct sigaction sa {};
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int_);
        sigaction(SIGTERM, &sa, &old_term_);
    }
    ~StopSignals() {
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
        g_interruptible.store(nullptr);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
};

using Clock = std::chrono::steady_clock;

bool write_all(const std::string& text) {
    return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() &&
           std::fflush(stdout) == 0;
}

// `complete`: false once the source failed (a truncated or corrupt file),
// so consumers know the flows are partial. Live snapshots also carry
// processes, names and interface counters.
snapshot::Snapshot take_snapshot(const Engine& engine, const capture::PacketSource& source,
                                 bool complete, SnapshotEnricher* enricher) {
    snapshot::Snapshot snap = engine.snapshot();
    if (enricher != nullptr) enricher->enrich(snap, engine);
    snap.source.name = source.name();
    snap.source.complete = complete;
    const auto st = source.stats();
    snap.capture = {st.received, st.dropped, st.interface_dropped};
    return snap;
}

// A write to a closed stdout (--json-log - into a pipe whose reader quit)
// must be an export error, not a kill.
class IgnoreSigpipe {
public:
    explicit IgnoreSigpipe(bool active) : active_(active) {
        if (!active_) return;
        struct sigaction sa {};
        sa.sa_handler = SIG_IGN;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGPIPE, &sa, &old_);
    }
    ~IgnoreSigpipe() {
        if (active_) sigaction(SIGPIPE, &old_, nullptr);
    }
    IgnoreSigpipe(const IgnoreSigpipe&) = delete;
    IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

private:
    bool active_;
    struct sigaction old_ {};
};

void report_export_errors(ExportSet& exports) {
    for (const auto& e : exports.new_errors()) std::fprintf(stderr, "sockeye: %s\n", e.c_str());
}

// One line per export on stderr at exit, so losses never go unnoticed.
void report_export_totals(const std::vector<snapshot::ExportCounters>& counters) {
    for (const auto& c : counters) {
        std::fprintf(stderr, "sockeye: %s export to %s: %llu written, %llu dropped%s%s\n",
                     c.name.c_str(), c.path.c_str(), static_cast<unsigned long long>(c.written),
                     static_cast<unsigned long long>(c.dropped), c.error.empty() ? "" : "; ",
                     c.error.c_str());
    }
}

// Until the terminal UI lands, live mode redraws the summary table in place.
void draw_live_table(const snapshot::Snapshot& snap) {
    const bool tty = isatty(STDOUT_FILENO) != 0;
    write_all((tty ? std::string("\x1b[H\x1b[2J") : std::string()) +
              exports::summary_table(snap));
}

}  // namespace

RunResult run(capture::PacketSource& source, const Options& options) {
    const bool live = options.read_file.empty();
    std::unique_ptr<SnapshotEnricher> enricher;
    if (live) {
        // Reverse DNS only pays off for the redrawn table: JSON and the
        // summary print one snapshot at exit, before any answer could arrive.
        enricher = std::make_unique<SnapshotEnricher>(
            options, true, options.output == OutputMode::interactive);
    }
    Engine engine(source.link_type(), engine_options_for(options, enricher.get()));
    // Declared after the enricher: the pcapng writer asks it for owners
    // until the set is destroyed.
    std::string export_error;
    auto exports = ExportSet::open(options, source, live, enricher.get(), export_error);
    if (!exports) return RunResult{export_error};
    const IgnoreSigpipe sigpipe(options.json_log == "-");
    StopSignals signals(source);
    // Connection events come from comparing snapshots; once a second is
    // plenty for logs and cheap next to capture.
    const auto event_interval = std::chrono::seconds(1);

    const auto started = Clock::now();
    auto next_draw = started;
    auto next_events = started + event_interval;
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(options.interval_s));
    const bool periodic_table = live && options.output == OutputMode::interactive;

    RunResult result;
    std::uint64_t frames = 0;
    core::RawFrame frame;
    while (!g_stop.load()) {
        const auto status = source.next(frame);
        if (status == capture::NextStatus::frame) {
            engine.process(frame);
            if (!exports->empty()) exports->on_frame(frame, engine);
            if (options.count != 0 && ++frames >= options.count) break;
        } else if (status == capture::NextStatus::timeout) {
            engine.tick(wall_clock_ns());
        } else if (status == capture::NextStatus::end) {
            break;
        } else {
            result.error = source.error();
            break;
        }
        if (!live) continue;
        const auto now = Clock::now();
        if (options.duration_s > 0 &&
            now - started >= std::chrono::duration<double>(options.duration_s))
            break;
        if (periodic_table && now >= next_draw) {
            draw_live_table(take_snapshot(engine, source, true, enricher.get()));
            next_draw = now + interval;
        }
        if (exports->wants_snapshots() && now >= next_events) {
            exports->on_snapshot(take_snapshot(engine, source, true, enricher.get()));
            report_export_errors(*exports);
            next_events = now + event_interval;
        }
    }

    snapshot::Snapshot snap = take_snapshot(engine, source, result.error.empty(), enricher.get());
    if (!exports->empty()) {
        // Drains every writer: on SIGTERM the open flows still reach the sidecar.
        exports->finish(snap);
        report_export_errors(*exports);
        snap.exports = exports->counters();
        report_export_totals(snap.exports);
    }
    bool written = true;
    if (options.output == OutputMode::headless) {
        // Exports only.
    } else if (options.output == OutputMode::json) {
        written = write_all(exports::snapshot_to_jsonl(snap));
    } else {
        written = write_all(exports::summary_table(snap));
    }
    if (!written && result.error.empty()) result.error = "cannot write output: stdout closed or full";
    return result;
}

}  // namespace sockeye::app
