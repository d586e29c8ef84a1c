// The one interface every export implements: --pcapng-export,
// --pcap-export (and its sidecar), --json-log, --metrics and --ipfix.
// pipeline::ExportSet holds a list of them (built in app/export_table.cpp,
// one row per option) and feeds each what it asked for, on the packet
// thread; writing happens on each export's own threads, so nothing here may
// block capture.
//
// Life of an export: opened before the sandbox (files, sockets), start()
// after it, then frames and snapshots, then finish() with the last
// snapshot, which drains and stops it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/raw_frame.hpp"
#include "export/flow_events.hpp"
#include "export/packet_annotation.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

// What the sandbox must leave open for an export after start-up.
struct ExportAccess {
    std::vector<std::string> write_paths;           // files it creates or appends to
    std::vector<std::uint16_t> tcp_connect_ports;  // collectors it reconnects to
};

// The file an export writes, as the sandbox must allow it: none for stdout
// ("-"), an open descriptor already.
inline void add_write_path(ExportAccess& access, const std::string& path) {
    if (!path.empty() && path != "-") access.write_paths.push_back(path);
}
inline ExportAccess file_access(const std::string& path) {
    ExportAccess access;
    add_write_path(access, path);
    return access;
}

class Exporter {
public:
    virtual ~Exporter() = default;
    Exporter() = default;
    Exporter(const Exporter&) = delete;
    Exporter& operator=(const Exporter&) = delete;

    // After the sandbox: threads that must run before any record (a
    // server's accept loop, a sender). File writers start with their first
    // record instead.
    virtual void start() {}

    // Packet exports: every frame, right after the engine saw it, with what
    // the engine knows of its flow when wants_annotations().
    [[nodiscard]] virtual bool wants_frames() const { return false; }
    [[nodiscard]] virtual bool wants_annotations() const { return false; }
    virtual void on_frame(const core::RawFrame& /*frame*/, const PacketAnnotation& /*annotation*/) {}

    // Connection and metric exports: every export snapshot (about once a
    // second live), enriched, with the connection events found since the
    // previous one (computed once for all exports, only when one
    // wants_events()).
    [[nodiscard]] virtual bool wants_events() const { return false; }
    [[nodiscard]] virtual bool wants_snapshots() const { return wants_events(); }
    virtual void on_snapshot(const snapshot::Snapshot& /*snap*/,
                             std::span<const FlowEvent> /*events*/) {}
    // The alerts raised since the previous export snapshot (the [[alert]]
    // rules; see pipeline/alerts.hpp), just before that snapshot's
    // on_snapshot(); never with none. Snapshot exports only.
    virtual void on_alerts(std::span<const snapshot::Alert> /*alerts*/) {}
    // It keeps what it needs of each flow across snapshots, so it can take
    // deltas (Snapshot::delta: only the flows that changed). The run's
    // export snapshots are deltas only when every export takes them.
    [[nodiscard]] virtual bool accepts_deltas() const { return false; }

    // The last snapshot (its events went to on_snapshot just before): flows
    // still open, then drain the writers and stop. Called once.
    virtual void finish(const snapshot::Snapshot& snap) = 0;
    // After every export finished: the last snapshot again with their final
    // counts (the metrics export serves them until it is destroyed).
    virtual void on_final_counters(const snapshot::Snapshot& /*snap*/,
                                   std::span<const snapshot::ExportCounters> /*counters*/) {}

    // What it wrote and lost, one entry per file or endpoint.
    virtual void append_counters(std::vector<snapshot::ExportCounters>& out) const = 0;
    [[nodiscard]] virtual ExportAccess access() const { return {}; }
    // An address clients may still read from after the capture ended (the
    // metrics server); empty for the others.
    [[nodiscard]] virtual std::string serving_address() const { return {}; }
};

}  // namespace sockeye::exports
