// --metrics: sockeye's state as Prometheus text exposition (format 0.0.4),
// built from successive snapshots. Every metric is named sockeye_*.
//
// Counters (monotonic for the life of the process):
//   sockeye_packets_total, sockeye_bytes_total      frames and wire bytes seen
//   sockeye_flows_total, sockeye_flow_evictions_total, sockeye_flow_history_dropped_total,
//   sockeye_ip_fragments_total, sockeye_packets_without_flow_total
//   sockeye_process_{bytes,packets}_total{process,direction}  top-N + "other"
//   sockeye_unattributed_{bytes,packets}_total{direction}    flows with no process
//   sockeye_country_{bytes,packets}_total{country,direction}  with `countries` only
//   sockeye_interface_{bytes,packets,errors,dropped}_total{interface,direction}  live
//   sockeye_capture_received_packets_total, sockeye_capture_dropped_packets_total{reason}
//   sockeye_dpi_classified_flows_total{application}
//   sockeye_anomalies_total{kind}
//   sockeye_export_{records,dropped_records,dropped_bytes}_total{export}
// Gauges:
//   sockeye_active_flows{protocol,state}, sockeye_active_flows_by_attribution{status},
//   sockeye_attribution_active, sockeye_attribution_limitations, sockeye_processes,
//   sockeye_export_failed{export}, sockeye_snapshot_timestamp_seconds
//
// direction="tx" is traffic from a flow's source (live: the local side), "rx"
// towards it. Readings that come from outside (pcap and kernel counters) are
// turned into counters that never go down: a reading below the previous one
// is taken as a reset of the source, as Prometheus' rate() would.
//
// Not thread-safe: one thread observes and renders (the packet thread); the
// HTTP server only gets the rendered text.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "export/prometheus_flow_totals.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

struct PrometheusOptions {
    std::size_t top_processes = 20;
    std::size_t max_interfaces = 64;
    std::size_t max_label_sets = 256;  // per family for anomalies and exports
    // Per-country totals (--metrics-countries): off by default, since every
    // country the remotes are in becomes a series.
    bool countries = false;
    // The [[alert]] rules' names: sockeye_alerts_total has a series for
    // each from the start, at 0 until it fires.
    std::vector<std::string> alert_rules;
};

// A counter fed with readings of a cumulative count from elsewhere.
class MonotonicCounter {
public:
    void update(std::uint64_t reading) {
        total_ += reading >= last_ ? reading - last_ : reading;
        last_ = reading;
    }
    [[nodiscard]] std::uint64_t value() const { return total_; }

private:
    std::uint64_t last_ = 0;
    std::uint64_t total_ = 0;
};

class PrometheusMetrics {
public:
    explicit PrometheusMetrics(PrometheusOptions options = {});

    // Takes in one snapshot; `exports` are the export counters of that moment.
    void observe(const snapshot::Snapshot& snap, std::span<const snapshot::ExportCounters> exports);
    void observe(const snapshot::Snapshot& snap) { observe(snap, snap.exports); }
    // Counts alerts by rule (sockeye_alerts_total).
    void count_alerts(std::span<const snapshot::Alert> alerts);

    // The whole exposition, families in a fixed order, samples sorted.
    [[nodiscard]] std::string render() const;

private:
    struct InterfaceCounters {
        std::string name;
        MonotonicCounter rx_bytes, tx_bytes, rx_packets, tx_packets;
        MonotonicCounter rx_errors, tx_errors, rx_dropped, tx_dropped;
    };
    struct ExportTotals {
        std::string name;
        MonotonicCounter written, dropped, dropped_bytes;
        bool failed = false;
    };

    void observe_engine(const snapshot::Snapshot& snap);
    void observe_flows(const snapshot::Snapshot& snap);
    void observe_interfaces(const std::vector<snapshot::InterfaceStats>& interfaces);
    void observe_exports(std::span<const snapshot::ExportCounters> exports);

    void render_engine(std::string& out) const;
    void render_flows(std::string& out) const;
    void render_processes(std::string& out) const;
    void render_countries(std::string& out) const;
    void render_interfaces(std::string& out) const;
    void render_capture(std::string& out) const;
    void render_exports(std::string& out) const;
    void render_alerts(std::string& out) const;

    PrometheusOptions options_;
    MonotonicCounter packets_, bytes_, flows_, evictions_, history_dropped_, fragments_,
        without_flow_;
    MonotonicCounter capture_received_, capture_dropped_, capture_if_dropped_;
    FlowTotals totals_;
    // Gauges of the last snapshot; a label set once seen stays, at 0 when
    // empty, so a graph falls to zero instead of stopping.
    // The counts come from totals_, which follows each flow.
    struct Gauge {
        std::uint64_t count = 0;
        bool seen = false;
    };
    static constexpr std::size_t kProtocols = ActiveFlowCounts::kProtocols;
    static constexpr std::size_t kStates = ActiveFlowCounts::kStates;
    static constexpr std::size_t kAttributionStatuses = ActiveFlowCounts::kStatuses;
    std::array<std::array<Gauge, kStates>, kProtocols> active_flows_{};  // [protocol][state]
    std::array<Gauge, kAttributionStatuses> attribution_status_{};
    std::vector<std::pair<std::string, MonotonicCounter>> anomalies_;  // decoder's kind order
    std::vector<InterfaceCounters> interfaces_;
    std::vector<ExportTotals> exports_;
    std::vector<std::pair<std::string, std::uint64_t>> alerts_;  // by rule, in the config's order
    bool attribution_active_ = false;
    std::size_t attribution_limitations_ = 0;
    std::int64_t snapshot_ns_ = 0;
};

}  // namespace sockeye::exports
