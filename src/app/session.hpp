// One run of sockeye, wired the same way for every mode: the machine-side
// enricher (processes, names; live captures), the exports, and the pipeline
// over them. The front-ends (text_mode for plain, JSON, summary and
// headless; ui_mode for the terminal UI) only decide how snapshots are
// shown, and tests build the same Session.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/cli.hpp"
#include "app/export_table.hpp"
#include "app/sandbox_setup.hpp"
#include "app/snapshot_enricher.hpp"
#include "capture/packet_source.hpp"
#include "core/result.hpp"
#include "pipeline/pipeline.hpp"

namespace sockeye::app {

// How a run ended, for cli_main's exit status.
struct RunResult {
    std::optional<core::Error> error;  // set when the run failed; output was still written
    bool export_loss = false;  // an export lost records (export_lost_records)
};

// The capture's failure during the run, if it had one (a read error, a
// truncated file): ErrorCode::io with the source's line.
std::optional<core::Error> capture_failure(const pipeline::Pipeline& pipeline);

// How the snapshots of a run are watched.
enum class Watcher {
    none,         // JSON, summary, headless: only the final snapshot
    plain_table,  // the live table redrawn every --interval seconds
    terminal_ui,  // the terminal UI, every --refresh ms, open after the capture ends
};

class Session {
public:
    // Opens every handle the run needs (exports' files and sockets, the
    // enricher's sock_diag socket and resolver channel); starts no thread.
    // Fails when an export cannot be opened (open_exports' error).
    static core::Result<std::unique_ptr<Session>> open(capture::PacketSource& source,
                                                       const Options& options, Watcher watcher);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // The sandbox (see sandbox_setup.hpp), with the attribution thread
    // started inside it, then the helpers' threads; the pipeline is left
    // for the caller to start. `config_path`: a settings file the run may
    // read again. `report`: print what the sandbox could not enforce.
    SandboxOutcome enter_sandbox(const std::string& config_path, bool report);

    [[nodiscard]] pipeline::Pipeline& pipeline() { return *pipeline_; }
    [[nodiscard]] pipeline::ExportSet& exports() { return *exports_; }
    // Null for capture files unless the terminal UI watches.
    [[nodiscard]] const SnapshotEnricher* enricher() const { return enricher_.get(); }
    [[nodiscard]] SnapshotEnricher* enricher() { return enricher_.get(); }

private:
    Session(const Options& options) : options_(options) {}

    const Options& options_;
    // In this order: the exports ask the enricher for owners, the pipeline
    // feeds both, so it goes first (joining its thread), then the exports.
    std::unique_ptr<SnapshotEnricher> enricher_;
    std::unique_ptr<pipeline::AlertEngine> alerts_;
    std::unique_ptr<pipeline::ExportSet> exports_;
    std::unique_ptr<pipeline::Pipeline> pipeline_;
};

}  // namespace sockeye::app
