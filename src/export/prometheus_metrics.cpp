#include "export/prometheus_metrics.hpp"

#include <algorithm>

#include "export/prometheus_text.hpp"

namespace sockeye::exports {
namespace {

// Appends a family's header and then its samples, or nothing when it has
// none (a family without samples says nothing a scraper could use).
template <typename EmitSamples>
void family(std::string& out, std::string_view name, std::string_view help, MetricType type,
            bool has_samples, EmitSamples emit) {
    if (!has_samples) return;
    append_family_header(out, name, help, type);
    emit();
}

// The entry of `rows` named `name`, added when there is room for one more
// label set; null when the cap is reached (that series is not exported).
template <typename Row>
Row* row_named(std::vector<Row>& rows, std::string_view name, std::size_t cap) {
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.name == name; });
    if (it != rows.end()) return &*it;
    if (rows.size() >= cap) return nullptr;
    Row& added = rows.emplace_back();
    added.name = std::string(name);
    return &added;
}

void scalar(std::string& out, std::string_view name, std::string_view help, MetricType type,
            std::uint64_t value) {
    append_family_header(out, name, help, type);
    append_sample(out, name, {}, value);
}

}  // namespace

namespace {
FlowTotals::Limits limits_for(const PrometheusOptions& options) {
    FlowTotals::Limits limits;
    limits.top_processes = options.top_processes;
    limits.countries = options.countries;
    return limits;
}
}  // namespace

PrometheusMetrics::PrometheusMetrics(PrometheusOptions options)
    : options_(options), totals_(limits_for(options)) {
    for (const auto& rule : options_.alert_rules) {
        const bool known = std::any_of(alerts_.begin(), alerts_.end(),
                                       [&](const auto& r) { return r.first == rule; });
        if (!known) alerts_.emplace_back(rule, 0);
    }
}

void PrometheusMetrics::observe(const snapshot::Snapshot& snap,
                                std::span<const snapshot::ExportCounters> exports) {
    snapshot_ns_ = snap.ts_ns;
    observe_engine(snap);
    observe_flows(snap);
    observe_interfaces(snap.interfaces);
    observe_exports(exports);
    attribution_active_ = snap.attribution.active;
    attribution_limitations_ = snap.attribution.limitations.size();
}

void PrometheusMetrics::observe_engine(const snapshot::Snapshot& snap) {
    const auto& c = snap.counters;
    packets_.update(c.packets);
    bytes_.update(c.bytes);
    flows_.update(c.flows);
    evictions_.update(c.evictions);
    history_dropped_.update(c.history_dropped);
    fragments_.update(c.ip_fragments);
    without_flow_.update(c.unattributed);
    capture_received_.update(snap.capture.received);
    capture_dropped_.update(snap.capture.dropped);
    capture_if_dropped_.update(snap.capture.interface_dropped);
    for (const auto& [kind_binding, count] : snap.anomalies) {
        // A named copy: clang 14 cannot capture a structured binding.
        const auto& kind = kind_binding;
        auto it = std::find_if(anomalies_.begin(), anomalies_.end(),
                               [&](const auto& a) { return a.first == kind; });
        if (it == anomalies_.end()) {
            if (anomalies_.size() >= options_.max_label_sets) continue;
            it = anomalies_.insert(anomalies_.end(), {kind, MonotonicCounter{}});
        }
        it->second.update(count);
    }
}

void PrometheusMetrics::observe_flows(const snapshot::Snapshot& snap) {
    totals_.observe(snap.flows, !snap.delta, snap.attribution.active);
    const ActiveFlowCounts& now = totals_.active();
    for (std::size_t p = 0; p < kProtocols; ++p) {
        for (std::size_t s = 0; s < kStates; ++s) {
            Gauge& g = active_flows_[p][s];
            g.count = now.by_state[p][s];
            g.seen = g.seen || g.count != 0;
        }
    }
    for (std::size_t i = 0; i < kAttributionStatuses; ++i) {
        Gauge& g = attribution_status_[i];
        g.count = now.by_status[i];
        g.seen = g.seen || g.count != 0;
    }
}

void PrometheusMetrics::observe_interfaces(const std::vector<snapshot::InterfaceStats>& interfaces) {
    for (const auto& s : interfaces) {
        InterfaceCounters* it = row_named(interfaces_, s.name, options_.max_interfaces);
        if (it == nullptr) continue;
        it->rx_bytes.update(s.rx_bytes);
        it->tx_bytes.update(s.tx_bytes);
        it->rx_packets.update(s.rx_packets);
        it->tx_packets.update(s.tx_packets);
        it->rx_errors.update(s.rx_errors);
        it->tx_errors.update(s.tx_errors);
        it->rx_dropped.update(s.rx_dropped);
        it->tx_dropped.update(s.tx_dropped);
    }
}

void PrometheusMetrics::observe_exports(std::span<const snapshot::ExportCounters> exports) {
    for (const auto& e : exports) {
        ExportTotals* it = row_named(exports_, e.name, options_.max_label_sets);
        if (it == nullptr) continue;
        it->written.update(e.written);
        it->dropped.update(e.dropped);
        it->dropped_bytes.update(e.dropped_bytes);
        it->failed = !e.error.empty() && !e.retrying;  // retrying: not stopped
    }
}

std::string PrometheusMetrics::render() const {
    std::string out;
    out.reserve(8192);
    render_engine(out);
    render_flows(out);
    render_processes(out);
    render_countries(out);
    render_interfaces(out);
    render_capture(out);
    render_exports(out);
    render_alerts(out);
    append_family_header(out, "sockeye_attribution_active",
                         "1 when processes are attributed to flows (live capture), else 0.",
                         MetricType::gauge);
    append_sample(out, "sockeye_attribution_active", {}, attribution_active_ ? 1 : 0);
    scalar(out, "sockeye_attribution_limitations",
           "Limitations of process attribution here (what it cannot see, and why).",
           MetricType::gauge, attribution_limitations_);
    append_family_header(out, "sockeye_snapshot_timestamp_seconds",
                         "Packet time of the snapshot these values come from.", MetricType::gauge);
    append_sample_seconds(out, "sockeye_snapshot_timestamp_seconds", snapshot_ns_);
    return out;
}

void PrometheusMetrics::render_engine(std::string& out) const {
    const MetricType c = MetricType::counter;
    scalar(out, "sockeye_packets_total", "Frames captured and processed.", c, packets_.value());
    scalar(out, "sockeye_bytes_total", "Wire bytes of the frames processed.", c, bytes_.value());
    scalar(out, "sockeye_flows_total", "Flows created (a reused tuple counts again).", c,
           flows_.value());
    scalar(out, "sockeye_flow_evictions_total", "Flows evicted at the flow table's cap.", c,
           evictions_.value());
    scalar(out, "sockeye_flow_history_dropped_total",
           "Ended flows that fell off the bounded history.", c, history_dropped_.value());
    scalar(out, "sockeye_ip_fragments_total", "IPv4 and IPv6 fragments seen.", c,
           fragments_.value());
    scalar(out, "sockeye_packets_without_flow_total",
           "Frames that belong to no flow (non-IP, later fragments, ...).", c,
           without_flow_.value());
}

void PrometheusMetrics::render_flows(std::string& out) const {
    // Samples in (protocol, state) order, as the enums list them.
    bool any_active = false;
    for (const auto& states : active_flows_)
        for (const auto& g : states) any_active = any_active || g.seen;
    family(out, "sockeye_active_flows", "Flows in the flow table, by protocol and state.",
           MetricType::gauge, any_active, [&] {
               for (std::size_t p = 0; p < kProtocols; ++p) {
                   for (std::size_t s = 0; s < kStates; ++s) {
                       if (!active_flows_[p][s].seen) continue;
                       append_sample(
                           out, "sockeye_active_flows",
                           {{"protocol", snapshot::protocol_name(static_cast<snapshot::FlowProtocol>(p))},
                            {"state", snapshot::state_name(static_cast<snapshot::FlowState>(s))}},
                           active_flows_[p][s].count);
                   }
               }
           });
    // Samples sorted by status name.
    std::vector<std::pair<std::string_view, std::uint64_t>> statuses;
    for (std::size_t i = 0; i < kAttributionStatuses; ++i)
        if (attribution_status_[i].seen)
            statuses.emplace_back(attribution_status_name(i), attribution_status_[i].count);
    std::sort(statuses.begin(), statuses.end());
    family(out, "sockeye_active_flows_by_attribution",
           "Flows in the flow table by process attribution: attributed, or why not.",
           MetricType::gauge, !statuses.empty(), [&] {
               for (const auto& [status, count] : statuses)
                   append_sample(out, "sockeye_active_flows_by_attribution", {{"status", status}},
                                 count);
           });
    const auto& apps = totals_.classifications();
    family(out, "sockeye_dpi_classified_flows_total",
           "Flows whose application protocol DPI identified, each flow once.",
           MetricType::counter, !apps.empty(), [&] {
               for (const auto& [app, count] : apps)
                   append_sample(out, "sockeye_dpi_classified_flows_total", {{"application", app}},
                                 count);
           });
}

void PrometheusMetrics::render_processes(std::string& out) const {
    const auto series = totals_.process_series();
    const bool any = !series.empty();
    family(out, "sockeye_process_bytes_total",
           "Flow bytes per owning process: the top processes by bytes, the rest as \"other\".",
           MetricType::counter, any, [&] {
               for (const auto& s : series) {
                   append_sample(out, "sockeye_process_bytes_total",
                                 {{"process", s.process}, {"direction", "rx"}}, s.counts.rx_bytes);
                   append_sample(out, "sockeye_process_bytes_total",
                                 {{"process", s.process}, {"direction", "tx"}}, s.counts.tx_bytes);
               }
           });
    family(out, "sockeye_process_packets_total",
           "Flow packets per owning process: the top processes by bytes, the rest as \"other\".",
           MetricType::counter, any, [&] {
               for (const auto& s : series) {
                   append_sample(out, "sockeye_process_packets_total",
                                 {{"process", s.process}, {"direction", "rx"}},
                                 s.counts.rx_packets);
                   append_sample(out, "sockeye_process_packets_total",
                                 {{"process", s.process}, {"direction", "tx"}},
                                 s.counts.tx_packets);
               }
           });
    const TrafficCounts& u = totals_.unattributed();
    append_family_header(out, "sockeye_unattributed_bytes_total",
                         "Flow bytes with no owning process (files, forwarded, unknown).",
                         MetricType::counter);
    append_sample(out, "sockeye_unattributed_bytes_total", {{"direction", "rx"}}, u.rx_bytes);
    append_sample(out, "sockeye_unattributed_bytes_total", {{"direction", "tx"}}, u.tx_bytes);
    append_family_header(out, "sockeye_unattributed_packets_total",
                         "Flow packets with no owning process (files, forwarded, unknown).",
                         MetricType::counter);
    append_sample(out, "sockeye_unattributed_packets_total", {{"direction", "rx"}}, u.rx_packets);
    append_sample(out, "sockeye_unattributed_packets_total", {{"direction", "tx"}}, u.tx_packets);
    scalar(out, "sockeye_processes", "Distinct processes that owned traffic so far.",
           MetricType::gauge, totals_.process_count());
}

void PrometheusMetrics::render_countries(std::string& out) const {
    const auto& countries = totals_.countries();
    // Off (the default), or nothing counted yet: no family at all.
    const bool any = options_.countries && !countries.empty();
    family(out, "sockeye_country_bytes_total",
           "Flow bytes per country of the remote address (ISO code; its range when never looked "
           "up, \"unknown\" when the databases do not say).",
           MetricType::counter, any, [&] {
               for (const auto& [country, counts] : countries) {
                   append_sample(out, "sockeye_country_bytes_total",
                                 {{"country", country}, {"direction", "rx"}}, counts.rx_bytes);
                   append_sample(out, "sockeye_country_bytes_total",
                                 {{"country", country}, {"direction", "tx"}}, counts.tx_bytes);
               }
           });
    family(out, "sockeye_country_packets_total",
           "Flow packets per country of the remote address (as sockeye_country_bytes_total).",
           MetricType::counter, any, [&] {
               for (const auto& [country, counts] : countries) {
                   append_sample(out, "sockeye_country_packets_total",
                                 {{"country", country}, {"direction", "rx"}}, counts.rx_packets);
                   append_sample(out, "sockeye_country_packets_total",
                                 {{"country", country}, {"direction", "tx"}}, counts.tx_packets);
               }
           });
}

void PrometheusMetrics::render_interfaces(std::string& out) const {
    struct Field {
        const char* name;
        const char* help;
        MonotonicCounter InterfaceCounters::*rx;
        MonotonicCounter InterfaceCounters::*tx;
    };
    static const Field fields[] = {
        {"sockeye_interface_bytes_total", "Bytes through the interface (kernel counters).",
         &InterfaceCounters::rx_bytes, &InterfaceCounters::tx_bytes},
        {"sockeye_interface_packets_total", "Packets through the interface (kernel counters).",
         &InterfaceCounters::rx_packets, &InterfaceCounters::tx_packets},
        {"sockeye_interface_errors_total", "Interface errors (kernel counters).",
         &InterfaceCounters::rx_errors, &InterfaceCounters::tx_errors},
        {"sockeye_interface_dropped_total", "Packets the interface dropped (kernel counters).",
         &InterfaceCounters::rx_dropped, &InterfaceCounters::tx_dropped},
    };
    for (const Field& f : fields) {
        family(out, f.name, f.help, MetricType::counter, !interfaces_.empty(), [&] {
            for (const auto& i : interfaces_) {
                append_sample(out, f.name, {{"interface", i.name}, {"direction", "rx"}},
                              (i.*f.rx).value());
                append_sample(out, f.name, {{"interface", i.name}, {"direction", "tx"}},
                              (i.*f.tx).value());
            }
        });
    }
}

void PrometheusMetrics::render_capture(std::string& out) const {
    scalar(out, "sockeye_capture_received_packets_total",
           "Packets the capture received (pcap statistics; live capture only).",
           MetricType::counter, capture_received_.value());
    append_family_header(out, "sockeye_capture_dropped_packets_total",
                         "Packets lost before sockeye saw them: buffer full, or by the interface.",
                         MetricType::counter);
    append_sample(out, "sockeye_capture_dropped_packets_total", {{"reason", "buffer"}},
                  capture_dropped_.value());
    append_sample(out, "sockeye_capture_dropped_packets_total", {{"reason", "interface"}},
                  capture_if_dropped_.value());
    family(out, "sockeye_anomalies_total", "Malformed or unexpected packets, by kind.",
           MetricType::counter, !anomalies_.empty(), [&] {
               for (const auto& [kind, count] : anomalies_)
                   append_sample(out, "sockeye_anomalies_total", {{"kind", kind}}, count.value());
           });
}

void PrometheusMetrics::render_exports(std::string& out) const {
    const bool any = !exports_.empty();
    family(out, "sockeye_export_records_total", "Records (packets or lines) each export wrote.",
           MetricType::counter, any, [&] {
               for (const auto& e : exports_)
                   append_sample(out, "sockeye_export_records_total", {{"export", e.name}},
                                 e.written.value());
           });
    family(out, "sockeye_export_dropped_records_total",
           "Records each export lost: queue full, or after a write error.", MetricType::counter,
           any, [&] {
               for (const auto& e : exports_)
                   append_sample(out, "sockeye_export_dropped_records_total", {{"export", e.name}},
                                 e.dropped.value());
           });
    family(out, "sockeye_export_dropped_bytes_total", "Bytes of the records each export lost.",
           MetricType::counter, any, [&] {
               for (const auto& e : exports_)
                   append_sample(out, "sockeye_export_dropped_bytes_total", {{"export", e.name}},
                                 e.dropped_bytes.value());
           });
    family(out, "sockeye_export_failed", "1 once an export stopped on a write error.",
           MetricType::gauge, any, [&] {
               for (const auto& e : exports_)
                   append_sample(out, "sockeye_export_failed", {{"export", e.name}},
                                 e.failed ? 1 : 0);
           });
}

void PrometheusMetrics::count_alerts(std::span<const snapshot::Alert> alerts) {
    for (const auto& a : alerts) {
        auto it = std::find_if(alerts_.begin(), alerts_.end(),
                               [&](const auto& r) { return r.first == a.rule; });
        if (it != alerts_.end()) ++it->second;
    }
}

void PrometheusMetrics::render_alerts(std::string& out) const {
    family(out, "sockeye_alerts_total", "Alerts raised, by [[alert]] rule of the config file.",
           MetricType::counter, !alerts_.empty(), [&] {
               for (const auto& [rule, count] : alerts_)
                   append_sample(out, "sockeye_alerts_total", {{"rule", rule}}, count);
           });
}

}  // namespace sockeye::exports
