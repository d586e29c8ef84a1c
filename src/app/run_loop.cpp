#include "app/run_loop.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

#include "pipeline/engine.hpp"
#include "app/export_set.hpp"
#include "pipeline/paced_source.hpp"
#include "app/sandbox_check.hpp"
#include "app/sandbox_setup.hpp"
#include "app/snapshot_enricher.hpp"
#include "app/stderr_line.hpp"
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
        // The terminal going away (an ssh session ending) stops like SIGTERM,
        // so the exports are finished; under nohup SIGHUP stays ignored.
        sigaction(SIGHUP, nullptr, &old_hup_);
        if (old_hup_.sa_handler != SIG_IGN) sigaction(SIGHUP, &sa, nullptr);
    }
    ~StopSignals() {
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
        sigaction(SIGHUP, &old_hup_, nullptr);
        g_interruptible.store(nullptr);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
    struct sigaction old_hup_ {};
};

using Clock = std::chrono::steady_clock;

bool write_all(const std::string& text) {
    return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() &&
           std::fflush(stdout) == 0;
}

// `complete`: false once the source failed (a truncated or corrupt file),
// so consumers know the flows are partial. Live snapshots also carry
// processes, names and interface counters.
snapshot::Snapshot take_snapshot(const pipeline::Engine& engine, const capture::PacketSource& source,
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
    for (const auto& e : exports.new_errors()) print_stderr_line(e);
}

// The modes without a side panel say at start-up, in one line, what process
// attribution cannot see, so an unattributed column has a reason.
void report_degraded_attribution(const SnapshotEnricher& enricher) {
    const auto limitations = enricher.attribution_limitations();
    if (limitations.empty()) return;
    std::string line;
    for (const auto& l : limitations) line += (line.empty() ? "" : "; ") + l;
    print_stderr_line("process attribution is degraded: " + line);
}

// Until the terminal UI lands, live mode redraws the summary table in place.
void draw_live_table(const snapshot::Snapshot& snap) {
    const bool tty = isatty(STDOUT_FILENO) != 0;
    write_all((tty ? std::string("\x1b[H\x1b[2J") : std::string()) +
              exports::summary_table(snap));
}

// --sandbox-check: what the sandbox enforces, then the probes, on stdout.
RunResult sandbox_check(const SandboxOutcome& sandboxed, const SandboxProbes& probes,
                        const Options& options, ExportSet& exports) {
    std::string text = "sandbox-check: sandbox: " + sandboxed.status.summary + "\n";
    for (const auto& line : sandboxed.status.enforced)
        text += "sandbox-check: enforced: " + line + "\n";
    for (const auto& line : sandboxed.status.not_enforced)
        text += "sandbox-check: not enforced: " + line + "\n";
    text += probes.run(export_write_paths(options), options.sandbox_strict);
    exports.finish(snapshot::Snapshot{});
    if (!write_all(text)) return RunResult{"cannot write output: stdout closed or full"};
    return {};
}

// Headless -r FILE --metrics: the replay is over, but a scraper has not
// necessarily seen its last values yet; they stay served until a signal.
void serve_final_metrics(const MetricsServer& server) {
    if (g_stop.load()) return;
    std::fprintf(stderr, "sockeye: end of the capture file; serving its metrics on %s until "
                         "SIGTERM/SIGINT\n",
                 server.address().to_string().c_str());
    while (!g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
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
    pipeline::Engine engine(source.link_type(), engine_options_for(options, enricher.get()));
    // Declared after the enricher: the pcapng writer asks it for owners
    // until the set is destroyed.
    std::string export_error;
    auto exports = ExportSet::open(options, source, live, enricher.get(), export_error);
    if (!exports) return RunResult{export_error};
    const IgnoreSigpipe sigpipe(options.json_log == "-");
    // --metrics serves while a file replays: at its recorded pace (--speed),
    // with a snapshot every second as live, so scrapers see it progress.
    std::unique_ptr<pipeline::PacedSource> paced;
    if (!live && !options.metrics.empty() && options.speed > 0)
        paced = std::make_unique<pipeline::PacedSource>(source, options.speed);
    capture::PacketSource& input = paced ? *paced : source;
    StopSignals signals(input);

    // Every handle is open: give up what is no longer needed, then start
    // the threads (they inherit the sandbox; see sandbox_setup.hpp).
    std::unique_ptr<SandboxProbes> probes;
    if (options.sandbox_check) probes = std::make_unique<SandboxProbes>();
    RunNeeds needs;
    needs.attribution = enricher && enricher->attributes();
    needs.reverse_dns = enricher && enricher->resolves();
    const SandboxOutcome sandboxed = enter_sandbox(
        options, sandbox_request_for(options, needs),
        [&enricher] {
            if (enricher) enricher->start_attribution();
        },
        !options.sandbox_check);
    if (!sandboxed.error.empty()) return RunResult{sandboxed.error};
    if (enricher) enricher->start_resolver();
    exports->start();
    if (probes) return sandbox_check(sandboxed, *probes, options, *exports);
    if (enricher) report_degraded_attribution(*enricher);
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
        const auto status = input.next(frame);
        if (status == capture::NextStatus::frame) {
            engine.process(frame);
            if (!exports->empty()) exports->on_frame(frame, engine);
            if (options.count != 0 && ++frames >= options.count) break;
        } else if (status == capture::NextStatus::timeout) {
            engine.tick(paced ? paced->replay_time_ns() : wall_clock_ns());
        } else if (status == capture::NextStatus::end) {
            break;
        } else {
            result.error = source.error();
            break;
        }
        if (!live && !paced) continue;
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
        if (options.output == OutputMode::headless && !live && exports->metrics_server() != nullptr)
            serve_final_metrics(*exports->metrics_server());
        snap.exports = exports->counters();
        std::fputs(export_totals_text(snap.exports).c_str(), stderr);
        result.export_loss = export_lost_records(snap.exports);
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
