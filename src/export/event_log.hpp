// --json-log: connection events as JSON Lines, found by comparing successive
// snapshots. A flow that appears yields `new_connection`; one that ends
// yields `connection_closed` with its byte and packet totals and duration.
// Alerts of the [[alert]] rules are `alert` lines in the same stream.
// Field names follow the reference tool's event log:
//   {"timestamp": RFC 3339, "event": "new_connection", "protocol",
//    "source_ip", "source_port", "destination_ip", "destination_port",
//    "pid", "process_name", "service_name", "dpi_protocol", "dpi_domain", ...}
// Flows still open when sockeye exits get no `connection_closed`: they did
// not close (the --pcap-export sidecar lists them instead).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "export/async_writer.hpp"
#include "export/exporter.hpp"
#include "export/flow_events.hpp"
#include "snapshot/flow_id.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

// Port -> service name, supplied by the caller (enrich/ has the table).
using ServiceNamer = std::function<std::string_view(const snapshot::FlowRecord&)>;

// Appends one event line (with '\n').
void append_event_json(std::string& out, const FlowEvent& event, const ServiceNamer& service);
// Appends one alert line (with '\n'): "event": "alert", the rule, its
// condition, what it found ("detail"), the program, the rate for
// rate_above (else null), then the flow's fields as a connection event has
// them (listening: the socket's process, its local address and port as
// source).
void append_alert_json(std::string& out, const snapshot::Alert& alert, const ServiceNamer& service);

// The --json-log writer: a file or "-" for stdout, written off-thread.
class JsonEventLog final : public Exporter {
public:
    // Fails when the file cannot be opened.
    static core::Result<std::unique_ptr<JsonEventLog>> open(const std::string& path, ServiceNamer service,
                                                            AsyncWriterOptions options);
    void add(const FlowEvent& event);
    void add(const snapshot::Alert& alert);
    void close() { writer_->close(); }
    [[nodiscard]] snapshot::ExportCounters counters() const { return writer_->counters(); }

    // As an Exporter: every connection event.
    [[nodiscard]] bool wants_events() const override { return true; }
    // Events only; the last snapshot (complete) names the flows still open.
    [[nodiscard]] bool accepts_deltas() const override { return true; }
    void on_snapshot(const snapshot::Snapshot& /*snap*/,
                     std::span<const FlowEvent> events) override {
        for (const auto& e : events) add(e);
    }
    void on_alerts(std::span<const snapshot::Alert> alerts) override {
        for (const auto& a : alerts) add(a);
    }
    void finish(const snapshot::Snapshot& /*snap*/) override { close(); }
    void append_counters(std::vector<snapshot::ExportCounters>& out) const override {
        out.push_back(counters());
    }
    [[nodiscard]] ExportAccess access() const override { return file_access(path_); }

private:
    JsonEventLog() = default;
    std::string path_;
    ServiceNamer service_;
    std::unique_ptr<AsyncWriter<std::string>> writer_;
};

}  // namespace sockeye::exports
