// --json-log: connection events as JSON Lines, found by comparing successive
// snapshots. A flow that appears yields `new_connection`; one that ends
// yields `connection_closed` with its byte and packet totals and duration.
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
#include "snapshot/flow_id.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

enum class FlowEventKind : std::uint8_t { opened, closed };

struct FlowEvent {
    FlowEventKind kind = FlowEventKind::opened;
    snapshot::FlowRecord flow;  // as of the snapshot the event was found in
};

// Diffs snapshot N-1 against N. Flows are told apart by their 5-tuple, VLAN,
// generation and first_seen, so a reused tuple is a new connection.
class FlowEventTracker {
public:
    // A new flow whose owner is still being looked up (attribution answers
    // within milliseconds, snapshots come every second) is announced up to
    // this many updates later, so its new_connection carries the process.
    explicit FlowEventTracker(int max_deferrals = 2) : max_deferrals_(max_deferrals) {}

    // Events since the previous call, opened ones first, each group in
    // snapshot order. A flow that both appeared and ended in between gets
    // both events. An open flow that vanished without being seen ended (it
    // fell off the bounded history) is closed as last seen.
    std::vector<FlowEvent> update(const snapshot::Snapshot& snap);
    // Flows seen open and not yet closed.
    [[nodiscard]] std::size_t open_count() const { return open_.size(); }

private:
    using Key = snapshot::FlowId;
    using KeyHash = snapshot::FlowIdHash;
    static Key key_of(const snapshot::FlowRecord& f) { return snapshot::FlowId::of(f); }

    std::unordered_map<Key, snapshot::FlowRecord, KeyHash> open_;  // last record seen
    std::unordered_map<Key, bool, KeyHash> ended_;  // ended flows in the last snapshot
    std::unordered_map<Key, int, KeyHash> deferred_;  // new flows not announced yet: rounds waited
    int max_deferrals_;
};

// Port -> service name, supplied by the caller (enrich/ has the table).
using ServiceNamer = std::function<std::string_view(const snapshot::FlowRecord&)>;

// Appends one event line (with '\n').
void append_event_json(std::string& out, const FlowEvent& event, const ServiceNamer& service);

// The --json-log writer: a file or "-" for stdout, written off-thread.
class JsonEventLog {
public:
    static std::unique_ptr<JsonEventLog> open(const std::string& path, ServiceNamer service,
                                              AsyncWriterOptions options, std::string& error);
    void add(const FlowEvent& event);
    void close() { writer_->close(); }
    [[nodiscard]] snapshot::ExportCounters counters() const { return writer_->counters(); }

private:
    JsonEventLog() = default;
    ServiceNamer service_;
    std::unique_ptr<AsyncWriter<std::string>> writer_;
};

}  // namespace sockeye::exports
