#include "app/export_set.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "app/snapshot_enricher.hpp"
#include "app/stderr_line.hpp"
#include "enrich/service_names.hpp"

namespace sockeye::app {
namespace {

// How long a frame waits before its comment is written: attribution answers
// within milliseconds of a flow's first packet, and this lets the first
// packets of a short-lived process carry its name too.
constexpr std::chrono::milliseconds kAnnotationHold{500};

exports::PacketAnnotation annotate(const pipeline::Engine& engine, bool live) {
    exports::PacketAnnotation a;
    const flow::FlowHandle& handle = engine.last_flow();
    pipeline::FlowAnnotation flow;
    if (!engine.flow_annotation(handle, flow)) return a;
    a.has_flow = true;
    a.flow_serial = handle.serial;
    a.ip_proto = flow.endpoints.ip_proto;
    a.source_ip = flow.endpoints.source_ip;
    a.destination_ip = flow.endpoints.destination_ip;
    a.source_port = flow.endpoints.source_port;
    a.destination_port = flow.endpoints.destination_port;
    // Live flows are oriented local -> remote; in files the source is only
    // the initiator, which says nothing about in or out.
    if (live) a.direction = handle.from_source ? exports::PacketDirection::out
                                               : exports::PacketDirection::in;
    a.app = std::move(flow.app);
    return a;
}

}  // namespace

std::string export_totals_text(const std::vector<snapshot::ExportCounters>& counters) {
    std::string text;
    for (const auto& c : counters) {
        text += stderr_line(c.name + " export to " + c.path + ": " + std::to_string(c.written) +
                            " written, " + std::to_string(c.dropped) + " dropped" +
                            (c.error.empty() ? "" : "; " + c.error));
    }
    return text;
}

bool export_lost_records(const std::vector<snapshot::ExportCounters>& counters) {
    return std::any_of(counters.begin(), counters.end(), [](const snapshot::ExportCounters& c) {
        return c.dropped > 0 || (!c.error.empty() && !c.retrying);
    });
}

std::unique_ptr<ExportSet> ExportSet::open(const Options& options,
                                           const capture::PacketSource& source, bool live,
                                           const SnapshotEnricher* enricher, std::string& error) {
    std::unique_ptr<ExportSet> set(new ExportSet());
    set->live_ = live;
    exports::AsyncWriterOptions writer_options;
    writer_options.start_later = true;  // threads start inside the sandbox
    if (!options.pcapng_export.empty()) {
        exports::ProcessLookup lookup;
        if (enricher != nullptr) {
            lookup = [enricher](const exports::PacketAnnotation& a) {
                flow::FlowTable::Endpoints e;
                e.ip_proto = a.ip_proto;
                e.source_ip = a.source_ip;
                e.destination_ip = a.destination_ip;
                e.source_port = a.source_port;
                e.destination_port = a.destination_port;
                return enricher->owner_of(e);
            };
        }
        exports::AsyncWriterOptions o = writer_options;
        if (enricher != nullptr) o.hold = kAnnotationHold;
        set->pcapng_ = exports::PcapngExport::open(options.pcapng_export, source.link_type(),
                                                   source.name(), std::move(lookup), o, error);
        if (!set->pcapng_) return nullptr;
    }
    if (!options.pcap_export.empty()) {
        set->pcap_ = exports::PcapExport::open(options.pcap_export, source.link_type(),
                                               exports::FlowJsonOptions{live && options.processes},
                                               writer_options, error);
        if (!set->pcap_) return nullptr;
    }
    if (!options.json_log.empty()) {
        set->events_ = exports::JsonEventLog::open(
            options.json_log,
            [](const snapshot::FlowRecord& f) { return enrich::flow_service(f); }, writer_options,
            error);
        if (!set->events_) return nullptr;
    }
    if (!options.ipfix.empty()) {
        // Resolves the collector and makes the socket now, before the sandbox.
        set->ipfix_ = exports::IpfixExporter::open(options.ipfix, exports::IpfixOptions{}, error);
        if (!set->ipfix_) return nullptr;
    }
    if (!options.metrics.empty()) {
        // Binds now, before the sandbox; serves from start().
        const auto address = parse_listen_address(options.metrics, error);
        if (!address) return nullptr;
        set->metrics_server_ = MetricsServer::open(*address, error);
        if (!set->metrics_server_) return nullptr;
        set->metrics_ = std::make_unique<exports::PrometheusMetrics>();
        set->metrics_server_->publish(set->metrics_->render());  // zeros until the first snapshot
    }
    return set;
}

void ExportSet::start() {
    // The file writers start with their first record.
    if (ipfix_) ipfix_->start();
    if (metrics_server_) metrics_server_->start();
}

void ExportSet::publish_metrics(const snapshot::Snapshot& snap) {
    // Rendered here, once per snapshot, so a scrape costs the packet
    // thread nothing: the server only copies a pointer under its mutex.
    metrics_->observe(snap, counters());
    metrics_server_->publish(metrics_->render());
}

ExportSet::~ExportSet() {
    if (pcapng_) pcapng_->close();
    if (pcap_) pcap_->close();
    if (events_) events_->close();
    if (ipfix_) ipfix_->close();
}

void ExportSet::on_frame(const core::RawFrame& frame, const pipeline::Engine& engine) {
    if (pcapng_) pcapng_->add(frame, annotate(engine, live_));
    if (pcap_) pcap_->add(frame);
}

void ExportSet::on_snapshot(const snapshot::Snapshot& snap) {
    if (!wants_snapshots() || finished_) return;
    if (metrics_) publish_metrics(snap);
    if (!wants_events()) return;
    for (const auto& event : tracker_.update(snap)) {
        if (events_) events_->add(event);
        if (pcap_ && event.kind == exports::FlowEventKind::closed) pcap_->add_flow(event.flow);
        if (ipfix_ && event.kind == exports::FlowEventKind::closed) ipfix_->add_closed(event.flow);
    }
    if (ipfix_) ipfix_->add_due(snap);
}

void ExportSet::finish(const snapshot::Snapshot& snap) {
    if (finished_) return;
    on_snapshot(snap);
    finished_ = true;
    if (pcap_) {
        for (const auto& f : snap.flows)
            if (f.end_reason == snapshot::EndReason::active) pcap_->add_flow(f);
    }
    if (ipfix_) {
        for (const auto& f : snap.flows)
            if (f.end_reason == snapshot::EndReason::active) ipfix_->add_at_exit(f);
        ipfix_->close();
    }
    if (pcapng_) pcapng_->close();
    if (pcap_) pcap_->close();
    if (events_) events_->close();
    // Again with the drained writers' final counts; the server keeps
    // answering with these until the set is destroyed.
    if (metrics_) publish_metrics(snap);
}

std::vector<snapshot::ExportCounters> ExportSet::counters() const {
    std::vector<snapshot::ExportCounters> out;
    if (pcapng_) out.push_back(pcapng_->counters());
    if (pcap_) {
        out.push_back(pcap_->counters());
        if (pcap_->has_sidecar()) out.push_back(pcap_->sidecar_counters());
    }
    if (events_) out.push_back(events_->counters());
    if (ipfix_) out.push_back(ipfix_->counters());
    if (metrics_server_) {
        snapshot::ExportCounters c;
        c.name = "metrics";
        c.path = metrics_server_->address().to_string();
        c.written = metrics_server_->scrapes();
        out.push_back(c);
    }
    return out;
}

std::vector<std::string> ExportSet::new_errors() {
    std::vector<std::string> errors;
    for (const auto& c : counters()) {
        if (c.error.empty()) continue;
        if (std::find(reported_.begin(), reported_.end(), c.name) != reported_.end()) continue;
        reported_.push_back(c.name);
        errors.push_back(c.retrying ? c.name + " export: " + c.error + " (retrying with backoff)"
                                    : c.name + " export stopped: " + c.error);
    }
    return errors;
}

}  // namespace sockeye::app
