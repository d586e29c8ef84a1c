#include "app/export_table.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "app/snapshot_enricher.hpp"
#include "app/stderr_line.hpp"
#include "enrich/service_names.hpp"
#include "export/event_log.hpp"
#include "export/ipfix_exporter.hpp"
#include "export/metrics_export.hpp"
#include "export/pcap_writer.hpp"
#include "export/pcapng_writer.hpp"
#include "app/store_location.hpp"
#include "store/store_export.hpp"

namespace sockeye::app {
namespace {

// How long a frame waits before its comment is written: attribution answers
// within milliseconds of a flow's first packet, and this lets the first
// packets of a short-lived process carry its name too.
constexpr std::chrono::milliseconds kAnnotationHold{500};

// What an export's opener may use besides its option's value.
struct ExportContext {
    const Options& options;
    const capture::PacketSource& source;
    bool live;
    const SnapshotEnricher* enricher;
    exports::AsyncWriterOptions writer;  // threads start inside the sandbox
};

using Opened = core::Result<std::unique_ptr<exports::Exporter>>;
using Opener = Opened (*)(const std::string& value, const ExportContext& context);

Opened open_pcapng(const std::string& path, const ExportContext& c) {
    exports::ProcessLookup lookup;
    exports::AsyncWriterOptions o = c.writer;
    // Live only: a file's flows have no process to wait for, and holding
    // frames read at full speed would only fill the queue.
    if (const SnapshotEnricher* enricher = c.live ? c.enricher : nullptr) {
        lookup = [enricher](const exports::PacketAnnotation& a) {
            flow::FlowTable::Endpoints e;
            e.ip_proto = a.ip_proto;
            e.source_ip = a.source_ip;
            e.destination_ip = a.destination_ip;
            e.source_port = a.source_port;
            e.destination_port = a.destination_port;
            return enricher->owner_of(e);
        };
        o.hold = kAnnotationHold;
    }
    exports::GeoLookup geo;
    // Without databases geo_of() has nothing to say: no lookup per flow then.
    if (const SnapshotEnricher* enricher = c.enricher; enricher != nullptr && enricher->geo_active())
        geo = [enricher](const core::IpAddress& a) { return enricher->geo_of(a); };
    return exports::PcapngExport::open(path, c.source.link_type(), c.source.name(),
                                       std::move(lookup), o, std::move(geo));
}

Opened open_pcap(const std::string& path, const ExportContext& c) {
    return exports::PcapExport::open(path, c.source.link_type(),
                                     exports::FlowJsonOptions{c.live && c.options.processes},
                                     c.writer);
}

Opened open_json_log(const std::string& path, const ExportContext& c) {
    return exports::JsonEventLog::open(
        path, [](const snapshot::FlowRecord& f) { return enrich::flow_service(f); }, c.writer);
}

Opened open_ipfix(const std::string& target, const ExportContext& c) {
    exports::IpfixOptions options;
    // The databases are open by now (before the exports): the templates
    // carry the geo elements only when there is something to put in them.
    options.geo = c.enricher != nullptr && c.enricher->geo_active();
    // Resolves the collector and makes the socket now, before the sandbox.
    return exports::IpfixExporter::open(target, options);
}

Opened open_metrics(const std::string& address, const ExportContext& c) {
    exports::PrometheusOptions metrics;
    metrics.countries = c.options.metrics_countries;
    for (const auto& a : c.options.alerts) metrics.alert_rules.push_back(a.name);
    return exports::MetricsExport::open(address, metrics);
}

// --max-store's default: a store that fits a desktop's disk (about three
// million connections at ~330 bytes each with their usage rows).
constexpr std::uint64_t kDefaultMaxStoreBytes = 1ULL << 30;

// The history store: the recorder opens (and locks) it now, before the
// sandbox; its default directory is made for it.
Opened open_record(const std::string& path, const ExportContext& c) {
    store::StoreExportOptions o;
    if (c.options.retain_ns) o.retention.keep_ns = *c.options.retain_ns;
    o.retention.max_bytes = c.options.max_store_bytes.value_or(kDefaultMaxStoreBytes);
    if (c.options.record_own_dir) {
        if (auto made = make_store_directory(path); !made) return std::move(made).error();
        o.own_directory = store_directory(path);
    }
    return store::StoreExport::open(path, o);
}

struct ExportRow {
    std::string Options::*value;  // the option's value; empty: not asked for
    Opener open;
};

// In the order their totals are printed at exit.
const ExportRow kExports[] = {
    {&Options::pcapng_export, open_pcapng},
    {&Options::pcap_export, open_pcap},
    {&Options::json_log, open_json_log},
    {&Options::ipfix, open_ipfix},
    {&Options::metrics, open_metrics},
    {&Options::record, open_record},
};

}  // namespace

core::Result<std::unique_ptr<pipeline::ExportSet>> open_exports(const Options& options,
                                                                const capture::PacketSource& source,
                                                                bool live, const SnapshotEnricher* enricher) {
    ExportContext context{options, source, live, enricher, {}};
    context.writer.start_later = true;
    auto set = std::make_unique<pipeline::ExportSet>(live);
    for (const auto& row : kExports) {
        const std::string& value = options.*(row.value);
        if (value.empty()) continue;
        auto exporter = row.open(value, context);
        if (!exporter) return std::move(exporter).error();
        set->add(std::move(exporter).value());
    }
    return set;
}

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

}  // namespace sockeye::app
