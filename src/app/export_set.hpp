// The exports a run asked for (--pcapng-export, --pcap-export and its
// sidecar, --json-log), fed from the thread that owns the engine: frames as
// they are processed, snapshots as they are taken. Every write happens on
// the exports' own threads, so nothing here blocks capture.
//
// Usage (app/session.cpp wires it into the pipeline, which calls it):
//   auto exports = ExportSet::open(options, source, live, enricher, error);
//   (the sandbox is applied here: files and sockets are open, no thread runs)
//   exports->start();
//   per frame:     engine.process(frame); exports->on_frame(frame, engine);
//   per snapshot:  exports->on_snapshot(snap);   (about once a second live)
//   at the end:    exports->finish(final_snap);  (sidecar gets open flows)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "pipeline/engine.hpp"
#include "pipeline/pipeline.hpp"
#include "app/metrics_server.hpp"
#include "capture/packet_source.hpp"
#include "export/event_log.hpp"
#include "export/ipfix_exporter.hpp"
#include "export/pcap_writer.hpp"
#include "export/pcapng_writer.hpp"
#include "export/prometheus_metrics.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::app {

class SnapshotEnricher;

// One line per export for stderr at exit ("sockeye: pcap export to F: N
// written, M dropped; error"), so losses never go unnoticed.
std::string export_totals_text(const std::vector<snapshot::ExportCounters>& counters);
// Whether any export lost records: dropped from a full queue, or stopped on
// a write error (exit status 3 unless --export-loss-ok).
bool export_lost_records(const std::vector<snapshot::ExportCounters>& counters);

class ExportSet final : public pipeline::Exports {
public:
    // Opens what `options` asks for (possibly nothing). Null with `error`
    // set when a file cannot be opened. `enricher` (live, may be null)
    // names the processes in packet comments; it must outlive the set.
    static std::unique_ptr<ExportSet> open(const Options& options,
                                           const capture::PacketSource& source, bool live,
                                           const SnapshotEnricher* enricher, std::string& error);
    ~ExportSet() override;
    ExportSet(const ExportSet&) = delete;
    ExportSet& operator=(const ExportSet&) = delete;

    // After the sandbox: starts what runs on threads of its own. open()
    // opens files and sockets but starts no thread, so every export thread
    // runs inside the sandbox. (The file writers' threads start with their
    // first record, see exports::AsyncWriter; exports with a thread that
    // must run before any record, e.g. a server's accept loop, start here.)
    void start();

    [[nodiscard]] bool empty() const {
        return !pcapng_ && !pcap_ && !events_ && !ipfix_ && !metrics_;
    }
    // True when connection events need snapshots (json-log, the sidecar,
    // IPFIX), or --metrics (its values come from snapshots).
    [[nodiscard]] bool wants_snapshots() const override { return wants_events() || metrics_; }
    // The --metrics server, if on (its bound address, its scrape count).
    [[nodiscard]] const MetricsServer* metrics_server() const { return metrics_server_.get(); }

    // The packet exports (pcapng, pcap) want every frame.
    [[nodiscard]] bool wants_frames() const override { return pcapng_ || pcap_; }
    // Packet thread, right after engine.process(frame).
    void on_frame(const core::RawFrame& frame, const pipeline::Engine& engine) override;
    // Each enriched snapshot: connection events and sidecar lines.
    void on_snapshot(const snapshot::Snapshot& snap) override;
    // The last snapshot: its events, then every open flow to the sidecar;
    // waits for the writers to drain and stops them. Idempotent.
    void finish(const snapshot::Snapshot& snap) override;

    // Per export (the pcap sidecar has its own entry).
    [[nodiscard]] std::vector<snapshot::ExportCounters> counters() const override;
    // Write errors not returned before: each export's first error, once.
    std::vector<std::string> new_errors() override;

private:
    ExportSet() = default;
    [[nodiscard]] bool wants_events() const { return pcap_ || events_ || ipfix_; }
    void publish_metrics(const snapshot::Snapshot& snap);

    bool live_ = false;
    bool finished_ = false;
    std::unique_ptr<exports::PcapngExport> pcapng_;
    std::unique_ptr<exports::PcapExport> pcap_;
    std::unique_ptr<exports::JsonEventLog> events_;
    std::unique_ptr<exports::IpfixExporter> ipfix_;
    std::unique_ptr<exports::PrometheusMetrics> metrics_;  // packet thread only
    std::unique_ptr<MetricsServer> metrics_server_;        // serves what metrics_ renders
    exports::FlowEventTracker tracker_;
    std::vector<std::string> reported_;  // export names whose error was reported
};

}  // namespace sockeye::app
