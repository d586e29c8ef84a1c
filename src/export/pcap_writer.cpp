#include "export/pcap_writer.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <utility>

namespace sockeye::exports {
namespace {

constexpr std::uint32_t kSnaplen = 262144;

void put_u16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>(v >> 8);
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((v >> shift) & 0xFF);
}

}  // namespace

void append_pcap_header(std::string& out, int link_type, std::uint32_t snaplen) {
    put_u32(out, kPcapNanosecondMagic);  // little-endian: readers detect the order from it
    put_u16(out, 2);
    put_u16(out, 4);
    put_u32(out, 0);  // thiszone
    put_u32(out, 0);  // sigfigs
    put_u32(out, snaplen);
    put_u32(out, static_cast<std::uint32_t>(link_type));
}

void append_pcap_record(std::string& out, std::int64_t ts_ns, std::uint32_t wire_len,
                        std::string_view bytes, std::uint32_t snaplen) {
    if (bytes.size() > snaplen) bytes = bytes.substr(0, snaplen);
    const auto ts = static_cast<std::uint64_t>(ts_ns < 0 ? 0 : ts_ns);
    put_u32(out, static_cast<std::uint32_t>(ts / 1'000'000'000));
    put_u32(out, static_cast<std::uint32_t>(ts % 1'000'000'000));
    put_u32(out, static_cast<std::uint32_t>(bytes.size()));
    put_u32(out, wire_len < bytes.size() ? static_cast<std::uint32_t>(bytes.size()) : wire_len);
    out.append(bytes);
}

std::string connections_sidecar_path(const std::string& pcap_path) {
    return pcap_path + ".connections.jsonl";
}

bool writes_connections_sidecar(const std::string& pcap_path) {
    if (pcap_path == "-") return false;
    struct stat st {};
    if (::stat(pcap_path.c_str(), &st) != 0) return errno == ENOENT;
    return S_ISREG(st.st_mode);
}

core::Result<std::unique_ptr<PcapExport>> PcapExport::open(const std::string& path, int link_type,
                                                           FlowJsonOptions json,
                                                           AsyncWriterOptions options) {
    auto pcap_sink = FileSink::open(path);
    if (!pcap_sink) return std::move(pcap_sink).error();
    std::unique_ptr<FileSink> flow_sink;
    if (writes_connections_sidecar(path)) {
        auto opened = FileSink::open(connections_sidecar_path(path));
        if (!opened) return std::move(opened).error();
        flow_sink = std::move(opened).value();
    }
    std::unique_ptr<PcapExport> e(new PcapExport());
    e->path_ = path;
    if (flow_sink) e->sidecar_path_ = connections_sidecar_path(path);
    e->json_ = json;
    e->link_type_ = link_type;
    std::string header;
    append_pcap_header(header, link_type, kSnaplen);
    e->packets_ = std::make_unique<AsyncWriter<Frame>>(
        "pcap", std::move(pcap_sink).value(),
        [](Frame& f, std::string& out) {
            append_pcap_record(out, f.ts_ns, f.wire_len, f.bytes, kSnaplen);
        },
        std::move(header), options);
    if (!flow_sink) return e;
    // Flow lines need no hold: they are written when the flow is over.
    AsyncWriterOptions line_options = options;
    line_options.hold = std::chrono::milliseconds{0};
    e->flows_ = std::make_unique<AsyncWriter<std::string>>(
        "connections", std::move(flow_sink),
        [](std::string& line, std::string& out) { out += line; }, std::string(), line_options);
    return e;
}

void PcapExport::add(const core::RawFrame& frame) {
    if (frame.link_type != core::RawFrame::kSourceLinkType && frame.link_type != link_type_) {
        other_link_type_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    Frame f{frame.ts_ns, frame.wire_len,
            std::string(reinterpret_cast<const char*>(frame.bytes.data()), frame.bytes.size())};
    const std::size_t cost = f.bytes.size() + sizeof(Frame);
    packets_->push(std::move(f), cost);
}

snapshot::ExportCounters PcapExport::counters() const {
    snapshot::ExportCounters c = packets_->counters();
    c.dropped += other_link_type_.load(std::memory_order_relaxed);
    return c;
}

void PcapExport::on_snapshot(const snapshot::Snapshot& /*snap*/,
                             std::span<const FlowEvent> events) {
    for (const auto& e : events)
        if (e.kind == FlowEventKind::closed) add_flow(e.flow);
}

void PcapExport::finish(const snapshot::Snapshot& snap) {
    // Flows still open at exit get their line too.
    for (const auto& f : snap.flows)
        if (f.end_reason == snapshot::EndReason::active) add_flow(f);
    close();
}

void PcapExport::append_counters(std::vector<snapshot::ExportCounters>& out) const {
    out.push_back(counters());
    if (has_sidecar()) out.push_back(sidecar_counters());
}

ExportAccess PcapExport::access() const {
    ExportAccess a;
    add_write_path(a, path_);
    add_write_path(a, sidecar_path_);
    return a;
}

void PcapExport::add_flow(const snapshot::FlowRecord& flow) {
    if (!flows_) return;
    std::string line;
    append_flow_json(line, flow, json_);
    const std::size_t cost = line.size();
    flows_->push(std::move(line), cost);
}

void PcapExport::close() {
    packets_->close();
    if (flows_) flows_->close();
}

}  // namespace sockeye::exports
