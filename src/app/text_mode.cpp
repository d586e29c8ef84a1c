#include "app/text_mode.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

#include "app/export_table.hpp"
#include "app/sandbox_check.hpp"
#include "app/sandbox_setup.hpp"
#include "app/snapshot_enricher.hpp"
#include "app/stderr_line.hpp"
#include "app/where.hpp"
#include "core/printable_text.hpp"
#include "export/jsonl.hpp"
#include "export/summary_table.hpp"
#include "pipeline/pipeline.hpp"

namespace sockeye::app {
namespace {

// The signal handler may only touch lock-free atomics; it asks the pipeline
// to stop through this pointer (Pipeline::stop is async-signal-safe).
std::atomic<pipeline::Pipeline*> g_running{nullptr};
std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
    g_stop.store(true);
    if (auto* p = g_running.load()) p->stop();
}

class StopSignals {
public:
    explicit StopSignals(pipeline::Pipeline& pipeline) {
        g_stop.store(false);
        g_running.store(&pipeline);
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
        g_running.store(nullptr);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
    struct sigaction old_hup_ {};
};

bool write_all(const std::string& text) {
    return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() &&
           std::fflush(stdout) == 0;
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

// The modes without a side panel say at start-up, in one line, what process
// attribution cannot see, so an unattributed column has a reason.
void report_degraded_attribution(const SnapshotEnricher& enricher) {
    const auto limitations = enricher.attribution_limitations();
    if (limitations.empty()) return;
    std::string line;
    for (const auto& l : limitations) line += (line.empty() ? "" : "; ") + l;
    print_stderr_line("process attribution is degraded: " + line);
}

// The summary table of the flows --where selects; the first line keeps the
// whole capture's counts, and a last line says how many flows were shown.
std::string summary_text(const snapshot::Snapshot& snap, bool bits, const filter::Filter& where) {
    if (where.matches_everything()) return exports::summary_table(snap, bits);
    const snapshot::Snapshot shown = where_view(snap, where);
    return exports::summary_table(shown, bits) + "\nwhere " + core::printable_text(where.text()) +
           ": " + std::to_string(shown.flows.size()) + " of " + std::to_string(snap.flows.size()) +
           " flows\n";
}

// Live without the terminal UI (stdin or stdout is not a terminal), the
// summary table is redrawn every --interval seconds, in place on a terminal.
void draw_live_table(const snapshot::Snapshot& snap, bool bits, const filter::Filter& where) {
    const bool tty = isatty(STDOUT_FILENO) != 0;
    write_all((tty ? std::string("\x1b[H\x1b[2J") : std::string()) + summary_text(snap, bits, where));
}

// --json at exit: every flow streamed from the engine, enriched one at a
// time, then the summary line (taken from `last`, the final snapshot).
bool write_json(Session& session, const snapshot::Snapshot& last, const filter::Filter& where) {
    const pipeline::Engine& engine = session.pipeline().engine();
    SnapshotEnricher* enricher = session.enricher();
    exports::JsonlStream out(stdout, exports::FlowJsonOptions{last.attribution.active});
    engine.for_each_flow([&](snapshot::FlowRecord& flow) {
        if (enricher != nullptr && !enricher->enrich_flow(flow, engine)) return;
        if (where.matches_at(flow, last.ts_ns)) out.flow(flow);
    });
    return out.finish(last);
}

// --sandbox-check: what the sandbox enforces, then the probes, on stdout.
RunResult sandbox_check(const SandboxOutcome& sandboxed, const SandboxProbes& probes,
                        const Options& options, pipeline::ExportSet& exports) {
    std::string text = "sandbox-check: sandbox: " + sandboxed.status.summary + "\n";
    for (const auto& line : sandboxed.status.enforced)
        text += "sandbox-check: enforced: " + line + "\n";
    for (const auto& line : sandboxed.status.not_enforced)
        text += "sandbox-check: not enforced: " + line + "\n";
    text += probes.run(exports.access().write_paths, options.sandbox_strict);
    exports.finish(snapshot::Snapshot{});
    if (!write_all(text))
        return RunResult{core::Error{core::ErrorCode::io, "cannot write output: stdout closed or full"}};
    return {};
}

// Headless -r FILE --metrics: the replay is over, but a scraper has not
// necessarily seen its last values yet; they stay served until a signal.
void serve_final_metrics(const std::string& address) {
    if (g_stop.load()) return;
    std::fprintf(stderr, "sockeye: end of the capture file; serving its metrics on %s until "
                         "SIGTERM/SIGINT\n",
                 address.c_str());
    while (!g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

}  // namespace

RunResult run_text(capture::PacketSource& source, const Options& options) {
    const bool live = options.read_file.empty();
    const bool plain_table = live && options.output == OutputMode::interactive;
    auto opened = Session::open(source, options, plain_table ? Watcher::plain_table : Watcher::none);
    if (!opened) return RunResult{std::move(opened).error()};
    const std::unique_ptr<Session> session = std::move(opened).value();
    const IgnoreSigpipe sigpipe(options.json_log == "-");
    pipeline::Pipeline& pipeline = session->pipeline();
    StopSignals signals(pipeline);

    // Every handle is open: give up what is no longer needed, then start
    // the threads (they inherit the sandbox; see sandbox_setup.hpp).
    std::unique_ptr<SandboxProbes> probes;
    if (options.sandbox_check) probes = std::make_unique<SandboxProbes>();
    const SandboxOutcome sandboxed = session->enter_sandbox("", !options.sandbox_check);
    if (sandboxed.error) return RunResult{sandboxed.error};
    if (probes) return sandbox_check(sandboxed, *probes, options, session->exports());
    if (session->enricher() != nullptr) report_degraded_attribution(*session->enricher());

    // Checked by parse_args and the config already.
    auto compiled = filter::compile(options.where);
    if (!compiled) return RunResult{std::move(compiled).error()};
    const filter::Filter where = std::move(compiled).value();

    pipeline.start();
    if (plain_table) {
        pipeline::SnapshotExchange& exchange = pipeline.exchange();
        std::uint64_t seen = 0;
        while (!exchange.finished()) {
            auto snap = exchange.wait_newer(seen, std::chrono::seconds(1));
            if (snap && !exchange.finished()) draw_live_table(*snap, options.bits, where);
        }
    }
    pipeline.join();

    RunResult result;
    result.error = capture_failure(pipeline);
    const auto snap = pipeline.final_snapshot();
    pipeline::ExportSet& exports = session->exports();
    if (!exports.empty()) {
        const std::string serving = exports.serving_address();
        if (options.output == OutputMode::headless && !live && !serving.empty())
            serve_final_metrics(serving);
        const auto counters = exports.counters();
        std::fputs(export_totals_text(counters).c_str(), stderr);
        result.export_loss = export_lost_records(counters);
    }
    bool written = true;
    if (options.output == OutputMode::headless) {
        // Exports only.
    } else if (options.output == OutputMode::json) {
        written = write_json(*session, *snap, where);
    } else {
        written = write_all(summary_text(*snap, options.bits, where));
    }
    if (!written && !result.error)
        result.error = core::Error{core::ErrorCode::io, "cannot write output: stdout closed or full"};
    return result;
}

}  // namespace sockeye::app
