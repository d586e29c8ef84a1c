// The engine's state at one instant, immutable once built: what every
// consumer (JSON, summary, tui, exports) reads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "snapshot/alert.hpp"
#include "snapshot/flow_record.hpp"
#include "snapshot/traffic_sample.hpp"

namespace sockeye::snapshot {

struct EngineCounters {
    std::uint64_t packets = 0;          // frames seen
    std::uint64_t bytes = 0;            // wire bytes seen
    std::uint64_t flows = 0;            // flows created (every generation counts)
    std::uint64_t active_flows = 0;     // in the table at snapshot time
    std::uint64_t evictions = 0;        // flows pushed out by the table cap
    std::uint64_t history_dropped = 0;  // ended flows that fell off the bounded history
    std::uint64_t ip_fragments = 0;     // IPv4/IPv6 fragments (first ones included)
    std::uint64_t unattributed = 0;     // frames that belong to no flow (non-IP, later fragments, ...)
};

struct CaptureCounters {
    std::uint64_t received = 0;          // pcap_stats ps_recv (live only)
    std::uint64_t dropped = 0;           // ps_drop: buffer full
    std::uint64_t interface_dropped = 0; // ps_ifdrop
};

// Where the frames came from, for reports.
// Whether frames still come, and if not why: the UI says so the moment the
// capture ends, not after the user quits.
enum class CaptureState : std::uint8_t {
    running,
    end_of_file,  // a -r file was read to its end
    stopped,      // -c or -d was reached, or the user stopped it
    failed,       // see SourceInfo::state_note
};

struct SourceInfo {
    std::string name;        // file path or interface
    std::string link_type;   // "EN10MB", "LINUX_SLL2", ...
    bool complete = true;    // false when a file ended in the middle of a record
    bool live = false;       // an interface rather than a file
    CaptureState state = CaptureState::running;
    std::string state_note;  // failed: the error; stopped: why ("after -c 100 packets")
};

// One network interface's kernel counters (/sys/class/net/IF/statistics).
struct InterfaceStats {
    std::string name;
    std::uint64_t rx_bytes = 0, tx_bytes = 0;
    std::uint64_t rx_packets = 0, tx_packets = 0;
    std::uint64_t rx_errors = 0, tx_errors = 0;
    std::uint64_t rx_dropped = 0, tx_dropped = 0;
    double rx_bytes_per_s = 0, tx_bytes_per_s = 0;  // since the previous reading
};

// What process attribution can and cannot see here, for the UI to say.
struct AttributionStatus {
    bool active = false;        // false for capture files and --no-processes
    std::string method;         // "sock_diag + /proc", "eBPF", ...
    std::vector<std::string> limitations;  // one sentence each: what is missing and why
};

// What the start-up sandbox enforces (capabilities, root, no_new_privs,
// Landlock, seccomp), for the UI to say. Empty summary: nothing to show.
struct SandboxStatus {
    std::string summary;                    // "5/5 layers (uid 1000, ...)" or "off (--no-sandbox)"
    std::vector<std::string> enforced;      // one line per layer
    std::vector<std::string> not_enforced;  // one line per gap, with the reason
};

// One export (--pcapng-export, --json-log, ...): what it wrote and lost.
// Exports never block capture, so a slow or failing destination shows up
// here instead.
struct ExportCounters {
    std::string name;              // "pcapng", "pcap", "connections", "json-log"
    std::string path;              // destination ("-" for stdout)
    std::uint64_t written = 0;     // records written (packets or lines)
    std::uint64_t dropped = 0;     // records lost: queue full, or after an error
    std::uint64_t dropped_bytes = 0;
    std::string error;             // the first write error; the export stopped there
    // ... unless retrying: the export goes on after `error` (an IPFIX
    // collector that may come back), backing off between attempts.
    bool retrying = false;
};

// A socket listening on this host: TCP in LISTEN, or UDP bound without a
// peer.
struct ListeningSocket {
    std::uint8_t ip_proto = 0;
    core::IpAddress address{};  // the unspecified address: every address
    std::uint16_t port = 0;
    std::shared_ptr<const ProcessInfo> process;  // null when unknown
};

struct Snapshot {
    std::int64_t ts_ns = 0;                  // packet time the snapshot was taken at
    std::int64_t wall_ns = 0;                // wall clock when it was taken (0: unknown)
    std::vector<FlowRecord> flows;           // active then ended flows, each by first_seen
    // Export snapshots only (Exports::accepts_deltas): `flows` holds just
    // the active flows that changed since the previous export snapshot (a
    // packet since, or first seen a few snapshots ago at most, so answers
    // that come later, a flow's process, still reach the consumer), and the
    // ended flows not handed out yet. An active flow absent from a delta is
    // unchanged; absent from a snapshot that is not a delta (a keyframe:
    // every active flow), it is gone.
    bool delta = false;
    EngineCounters counters;
    CaptureCounters capture;
    SourceInfo source;
    // Non-zero anomaly counts by kind name, in the decoder's kind order.
    std::vector<std::pair<std::string, std::uint64_t>> anomalies;
    // Total traffic per interval of packet time, oldest first (the graph).
    std::vector<TrafficSample> traffic;
    // Live only (empty for files).
    std::vector<InterfaceStats> interfaces;
    AttributionStatus attribution;
    // Geo databases are loaded: every flow carries remote_geo. What they
    // cannot tell ("no city database: cities not shown").
    bool geo_active = false;
    std::vector<std::string> geo_missing;
    SandboxStatus sandbox;
    // Exports that are on (empty when none).
    std::vector<ExportCounters> exports;
    // The latest alerts of the run (at most kRecentAlerts), oldest first;
    // empty without [[alert]] rules. A consumer that has seen up to
    // sequence N takes the ones above it.
    std::vector<Alert> alerts;
    // Live, when asked for (listening alerts): the host's listening sockets
    // as last read; `listening_read` false when they were not read.
    std::vector<ListeningSocket> listening;
    bool listening_read = false;
};

}  // namespace sockeye::snapshot
