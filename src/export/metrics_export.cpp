#include "export/metrics_export.hpp"

#include "export/listen_address.hpp"

namespace sockeye::exports {

core::Result<std::unique_ptr<MetricsExport>> MetricsExport::open(const std::string& address,
                                                                PrometheusOptions options) {
    auto listen = parse_listen_address(address);
    if (!listen) return std::move(listen).error();
    auto server = MetricsServer::open(*listen);
    if (!server) return std::move(server).error();
    std::unique_ptr<MetricsExport> e(new MetricsExport(options));
    e->server_ = std::move(server).value();
    e->server_->publish(e->metrics_.render());  // zeros until the first snapshot
    return e;
}

void MetricsExport::on_snapshot(const snapshot::Snapshot& snap,
                                std::span<const FlowEvent> /*events*/) {
    metrics_.observe(snap, snap.exports);
    server_->publish(metrics_.render());
}

void MetricsExport::on_final_counters(const snapshot::Snapshot& snap,
                                      std::span<const snapshot::ExportCounters> counters) {
    // The drained writers' final counts; the server answers with these
    // until the export is destroyed.
    metrics_.observe(snap, counters);
    server_->publish(metrics_.render());
}

void MetricsExport::append_counters(std::vector<snapshot::ExportCounters>& out) const {
    snapshot::ExportCounters c;
    c.name = "metrics";
    c.path = server_->address().to_string();
    c.written = server_->scrapes();
    out.push_back(c);
}

}  // namespace sockeye::exports
