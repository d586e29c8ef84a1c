// --metrics ADDRESS: the Prometheus export. Each export snapshot is
// rendered once, on the packet thread, into the text the metrics server
// answers GET /metrics with, so a scrape costs capture nothing.
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "export/exporter.hpp"
#include "export/metrics_server.hpp"
#include "export/prometheus_metrics.hpp"

namespace sockeye::exports {

class MetricsExport final : public Exporter {
public:
    // Binds now (before the sandbox); serves from start(). Fails for a bad
    // address (ErrorCode::usage) or one that cannot be bound.
    static core::Result<std::unique_ptr<MetricsExport>> open(const std::string& address,
                                                             PrometheusOptions options = {});

    void start() override { server_->start(); }
    [[nodiscard]] bool wants_snapshots() const override { return true; }
    [[nodiscard]] bool accepts_deltas() const override { return true; }
    void on_snapshot(const snapshot::Snapshot& snap, std::span<const FlowEvent> events) override;
    void on_alerts(std::span<const snapshot::Alert> alerts) override { metrics_.count_alerts(alerts); }
    // Nothing to drain: the final values come with on_final_counters().
    void finish(const snapshot::Snapshot& /*snap*/) override {}
    void on_final_counters(const snapshot::Snapshot& snap,
                           std::span<const snapshot::ExportCounters> counters) override;
    // name "metrics", path the bound address, written = scrapes answered.
    void append_counters(std::vector<snapshot::ExportCounters>& out) const override;
    [[nodiscard]] std::string serving_address() const override {
        return server_->address().to_string();
    }

private:
    explicit MetricsExport(PrometheusOptions options) : metrics_(options) {}

    std::unique_ptr<MetricsServer> server_;
    PrometheusMetrics metrics_;
};

}  // namespace sockeye::exports
