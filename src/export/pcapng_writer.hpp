// --pcapng-export: the captured frames as a pcapng file Wireshark opens, one
// interface block per captured interface, and on every packet a comment
// saying who sent it, in the reference tool's key=value layout:
//   process=curl pid=1234 dir=out app=TLS sni=example.com
// (keys left out when unknown). Writing happens on an AsyncWriter thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ip_address.hpp"
#include "core/raw_frame.hpp"
#include "export/async_writer.hpp"
#include "export/exporter.hpp"
#include "export/packet_annotation.hpp"
#include "snapshot/app_info.hpp"
#include "snapshot/flow_record.hpp"
#include "snapshot/process_info.hpp"

namespace sockeye::exports {

// One frame copied out of the packet path.
struct PacketRecord {
    std::int64_t ts_ns = 0;
    std::uint32_t wire_len = 0;
    std::uint16_t interface_id = 0;
    int link_type = core::RawFrame::kSourceLinkType;
    std::string bytes;
    PacketAnnotation annotation;
};

PacketRecord copy_packet(const core::RawFrame& frame, PacketAnnotation annotation);

// The comment text for one packet ("" when nothing is known). Names are
// cleaned so the key=value layout stays parseable: spaces, '=' and bytes
// outside printable ASCII become '_'.
std::string packet_comment(const snapshot::ProcessInfo* process, PacketDirection direction,
                           const snapshot::AppInfo* app, const snapshot::GeoInfo* geo = nullptr);

// What a packet comment in that layout says about the sender; empty
// process and pid 0 when it names none (any other comment).
struct CommentedOwner {
    std::string process;
    int pid = 0;
};
CommentedOwner parse_packet_comment(std::string_view comment);

// Block encoders (little-endian, as pcapng allows either order).
void append_section_header(std::string& out, std::string_view application);
void append_interface_block(std::string& out, int link_type, std::string_view name,
                            std::uint32_t snaplen);
void append_packet_block(std::string& out, std::uint32_t interface_index, std::int64_t ts_ns,
                         std::uint32_t wire_len, std::string_view bytes, std::string_view comment);

// Called on the writer thread: the process owning a flow, or null. Must be
// thread-safe (host::ProcessAttributor::lookup is).
using ProcessLookup =
    std::function<std::shared_ptr<const snapshot::ProcessInfo>(const PacketAnnotation&)>;
// Called on the writer thread, once per flow: where the flow's remote
// (destination) address is, or null. Must be thread-safe.
using GeoLookup = std::function<std::shared_ptr<const snapshot::GeoInfo>(const core::IpAddress&)>;

class PcapngExport final : public Exporter {
public:
    // `link_type`: the source's DLT, for frames that do not carry their own;
    // `interface_name`: for the if_name option.
    // Fails when the file cannot be opened.
    static core::Result<std::unique_ptr<PcapngExport>> open(const std::string& path, int link_type,
                                                            std::string interface_name,
                                                            ProcessLookup lookup,
                                                            AsyncWriterOptions options,
                                                            GeoLookup geo_lookup = {});

    // Packet thread: copies the frame and queues it; never blocks.
    void add(const core::RawFrame& frame, PacketAnnotation annotation);
    void close() { writer_->close(); }
    [[nodiscard]] snapshot::ExportCounters counters() const { return writer_->counters(); }

    // As an Exporter: every frame with its flow's annotation.
    [[nodiscard]] bool wants_frames() const override { return true; }
    [[nodiscard]] bool wants_annotations() const override { return true; }
    void on_frame(const core::RawFrame& frame, const PacketAnnotation& annotation) override {
        add(frame, annotation);
    }
    void finish(const snapshot::Snapshot& /*snap*/) override { close(); }
    void append_counters(std::vector<snapshot::ExportCounters>& out) const override {
        out.push_back(counters());
    }
    [[nodiscard]] ExportAccess access() const override { return file_access(path_); }

private:
    // Writer-thread state: interface blocks written so far, per-flow owners.
    struct RenderState {
        int link_type = 0;  // of frames that do not name their own
        std::string interface_name;
        ProcessLookup lookup;
        GeoLookup geo_lookup;
        // (link type << 16 | interface_id) -> IDB index: a merged pcapng
        // input's interfaces keep their own link types.
        std::unordered_map<std::uint64_t, std::uint32_t> interfaces;
        std::unordered_map<std::uint64_t, std::shared_ptr<const snapshot::ProcessInfo>> owners;
        std::unordered_map<std::uint64_t, std::shared_ptr<const snapshot::GeoInfo>> geos;
        void render(PacketRecord& packet, std::string& out);
    };

    PcapngExport() = default;

    std::string path_;
    std::shared_ptr<RenderState> state_;
    std::unique_ptr<AsyncWriter<PacketRecord>> writer_;
};

}  // namespace sockeye::exports
