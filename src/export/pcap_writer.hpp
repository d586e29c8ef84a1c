// --pcap-export: the captured frames as a classic pcap file (nanosecond
// timestamps), for tools that do not read pcapng. What pcap cannot carry per
// packet goes into a sidecar, FILE.connections.jsonl: one flow line
// (append_flow_json) per flow when it ends, and for the open ones at exit.
// Only a regular file gets a sidecar: stdout ("-"), a pipe or a device has no
// directory of its own to put one in (writes_connections_sidecar).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/raw_frame.hpp"
#include "export/async_writer.hpp"
#include "export/exporter.hpp"
#include "export/jsonl.hpp"

namespace sockeye::exports {

// Nanosecond-resolution pcap magic (libpcap's PCAP_NSEC magic).
inline constexpr std::uint32_t kPcapNanosecondMagic = 0xA1B23C4D;

void append_pcap_header(std::string& out, int link_type, std::uint32_t snaplen);
void append_pcap_record(std::string& out, std::int64_t ts_ns, std::uint32_t wire_len,
                        std::string_view bytes, std::uint32_t snaplen);

// The sidecar's path for a pcap export at `pcap_path`.
std::string connections_sidecar_path(const std::string& pcap_path);
// Whether a pcap export at `pcap_path` writes a sidecar: yes for a regular
// file or a path that does not exist yet; no for "-" (stdout), a FIFO or a
// device (/dev/stdout would otherwise create /dev/stdout.connections.jsonl).
bool writes_connections_sidecar(const std::string& pcap_path);

class PcapExport final : public Exporter {
public:
    // Opens FILE ("-": stdout) and, where writes_connections_sidecar(FILE),
    // FILE.connections.jsonl; fails if either cannot be opened.
    static core::Result<std::unique_ptr<PcapExport>> open(const std::string& path, int link_type,
                                                          FlowJsonOptions json, AsyncWriterOptions options);

    // Packet thread: copies and queues the frame; never blocks. A frame of
    // another link type than the file's (a merged pcapng input) cannot be
    // in a classic pcap: it is counted as dropped.
    void add(const core::RawFrame& frame);
    // A flow that ended (or is still open at exit): one sidecar line.
    void add_flow(const snapshot::FlowRecord& flow);
    void close();
    // The pcap's counters (frames of another link type count as dropped);
    // the sidecar's, when there is one.
    [[nodiscard]] snapshot::ExportCounters counters() const;
    [[nodiscard]] bool has_sidecar() const { return flows_ != nullptr; }
    [[nodiscard]] snapshot::ExportCounters sidecar_counters() const { return flows_->counters(); }

    // As an Exporter: every frame, and each flow once it ended (the sidecar).
    [[nodiscard]] bool wants_frames() const override { return true; }
    void on_frame(const core::RawFrame& frame, const PacketAnnotation& /*annotation*/) override {
        add(frame);
    }
    [[nodiscard]] bool wants_events() const override { return has_sidecar(); }
    // Events only; the last snapshot (complete) names the flows still open.
    [[nodiscard]] bool accepts_deltas() const override { return true; }
    void on_snapshot(const snapshot::Snapshot& snap, std::span<const FlowEvent> events) override;
    void finish(const snapshot::Snapshot& snap) override;
    void append_counters(std::vector<snapshot::ExportCounters>& out) const override;
    [[nodiscard]] ExportAccess access() const override;

private:
    struct Frame {
        std::int64_t ts_ns = 0;
        std::uint32_t wire_len = 0;
        std::string bytes;
    };
    PcapExport() = default;

    std::string path_;
    std::string sidecar_path_;  // empty: no sidecar
    FlowJsonOptions json_{};
    int link_type_ = 0;
    std::atomic<std::uint64_t> other_link_type_ = 0;  // frames left out, see add()
    std::unique_ptr<AsyncWriter<Frame>> packets_;
    std::unique_ptr<AsyncWriter<std::string>> flows_;
};

}  // namespace sockeye::exports
