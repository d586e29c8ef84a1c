#include "export/pcapng_writer.hpp"

#include <charconv>
#include <utility>

namespace sockeye::exports {
namespace {

// Block types and option codes (pcapng, draft-ietf-opsawg-pcapng).
constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescription = 0x00000001;
constexpr std::uint32_t kEnhancedPacket = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfTsresol = 9;
constexpr std::uint8_t kNanoseconds = 9;  // if_tsresol: 10^-9
constexpr std::uint32_t kSnaplen = 262144;
// Keeps option lengths in range whatever a name holds.
constexpr std::size_t kMaxOptionText = 1024;

void put_u16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>(v >> 8);
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((v >> shift) & 0xFF);
}

void pad4(std::string& out, std::size_t len) {
    out.append((4 - len % 4) % 4, '\0');
}

void put_option(std::string& out, std::uint16_t code, std::string_view value) {
    if (value.size() > kMaxOptionText) value = value.substr(0, kMaxOptionText);
    put_u16(out, code);
    put_u16(out, static_cast<std::uint16_t>(value.size()));
    out.append(value);
    pad4(out, value.size());
}

// Writes the block's type and a length placeholder; finish_block() patches
// the length and appends the trailing copy.
std::size_t begin_block(std::string& out, std::uint32_t type) {
    const std::size_t start = out.size();
    put_u32(out, type);
    put_u32(out, 0);
    return start;
}

void finish_block(std::string& out, std::size_t start) {
    const auto total = static_cast<std::uint32_t>(out.size() - start + 4);
    for (int i = 0; i < 4; ++i)
        out[start + 4 + static_cast<std::size_t>(i)] = static_cast<char>((total >> (8 * i)) & 0xFF);
    put_u32(out, total);
}

void append_clean(std::string& out, std::string_view text) {
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out += (u <= 0x20 || u >= 0x7F || c == '=') ? '_' : c;
    }
}

void append_pair(std::string& out, std::string_view key, std::string_view value) {
    if (value.empty()) return;
    if (!out.empty()) out += ' ';
    out.append(key);
    out += '=';
    append_clean(out, value);
}

}  // namespace

PacketRecord copy_packet(const core::RawFrame& frame, PacketAnnotation annotation) {
    PacketRecord p;
    p.ts_ns = frame.ts_ns;
    p.wire_len = frame.wire_len;
    p.interface_id = frame.interface_id;
    p.link_type = frame.link_type;
    p.bytes.assign(reinterpret_cast<const char*>(frame.bytes.data()), frame.bytes.size());
    p.annotation = std::move(annotation);
    return p;
}

std::string packet_comment(const snapshot::ProcessInfo* process, PacketDirection direction,
                           const snapshot::AppInfo* app, const snapshot::GeoInfo* geo) {
    std::string out;
    if (process != nullptr) {
        append_pair(out, "process", process->name);
        if (process->pid > 0) append_pair(out, "pid", std::to_string(process->pid));
    }
    if (direction != PacketDirection::unknown)
        append_pair(out, "dir", direction == PacketDirection::out ? "out" : "in");
    if (app != nullptr && !app->protocol.empty()) {
        append_pair(out, "app", app->protocol);
        // TLS and QUIC name the server in the SNI; HTTP and others in a host.
        const snapshot::AppField* sni = app->find("sni");
        if (sni != nullptr && sni->kind == snapshot::AppField::Kind::text && !sni->text.empty()) {
            append_pair(out, "sni", sni->text);
        } else {
            append_pair(out, "host", app->domain);
        }
    }
    if (geo != nullptr && geo->scope == core::AddressScope::public_) {
        append_pair(out, "country", geo->country);
        if (geo->asn != 0) append_pair(out, "asn", std::to_string(geo->asn));
    }
    return out;
}

CommentedOwner parse_packet_comment(std::string_view comment) {
    CommentedOwner owner;
    // Space-separated key=value pairs; values never hold a space or '='
    // (append_clean), keys the reader does not know are skipped.
    while (!comment.empty()) {
        const std::size_t space = comment.find(' ');
        const std::string_view pair = comment.substr(0, space);
        comment = space == std::string_view::npos ? std::string_view{} : comment.substr(space + 1);
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view key = pair.substr(0, eq);
        const std::string_view value = pair.substr(eq + 1);
        if (key == "process") {
            owner.process = std::string(value.substr(0, kMaxOptionText));
        } else if (key == "pid") {
            int pid = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), pid);
            if (ec == std::errc{} && end == value.data() + value.size() && pid > 0) owner.pid = pid;
        }
    }
    return owner;
}

void append_section_header(std::string& out, std::string_view application) {
    const std::size_t start = begin_block(out, kSectionHeader);
    put_u32(out, kByteOrderMagic);
    put_u16(out, 1);  // major
    put_u16(out, 0);  // minor
    put_u32(out, 0xFFFFFFFF);  // section length: unknown (64 bits of ones)
    put_u32(out, 0xFFFFFFFF);
    put_option(out, kShbUserAppl, application);
    put_option(out, kOptEnd, {});
    finish_block(out, start);
}

void append_interface_block(std::string& out, int link_type, std::string_view name,
                            std::uint32_t snaplen) {
    const std::size_t start = begin_block(out, kInterfaceDescription);
    put_u16(out, static_cast<std::uint16_t>(link_type));
    put_u16(out, 0);
    put_u32(out, snaplen);
    if (!name.empty()) put_option(out, kIfName, name);
    const char resolution = static_cast<char>(kNanoseconds);
    put_option(out, kIfTsresol, std::string_view(&resolution, 1));
    put_option(out, kOptEnd, {});
    finish_block(out, start);
}

void append_packet_block(std::string& out, std::uint32_t interface_index, std::int64_t ts_ns,
                         std::uint32_t wire_len, std::string_view bytes, std::string_view comment) {
    if (bytes.size() > kSnaplen) bytes = bytes.substr(0, kSnaplen);
    const auto ts = static_cast<std::uint64_t>(ts_ns < 0 ? 0 : ts_ns);
    const std::size_t start = begin_block(out, kEnhancedPacket);
    put_u32(out, interface_index);
    put_u32(out, static_cast<std::uint32_t>(ts >> 32));
    put_u32(out, static_cast<std::uint32_t>(ts & 0xFFFFFFFF));
    put_u32(out, static_cast<std::uint32_t>(bytes.size()));
    put_u32(out, wire_len < bytes.size() ? static_cast<std::uint32_t>(bytes.size()) : wire_len);
    out.append(bytes);
    pad4(out, bytes.size());
    if (!comment.empty()) {
        put_option(out, kOptComment, comment);
        put_option(out, kOptEnd, {});
    }
    finish_block(out, start);
}

void PcapngExport::RenderState::render(PacketRecord& packet, std::string& out) {
    // Interfaces get their block when their first frame comes, in order.
    const int frame_link_type =
        packet.link_type == core::RawFrame::kSourceLinkType ? link_type : packet.link_type;
    const std::uint64_t key =
        (static_cast<std::uint64_t>(static_cast<std::uint32_t>(frame_link_type)) << 16) |
        packet.interface_id;
    auto [it, added] = interfaces.try_emplace(key, static_cast<std::uint32_t>(interfaces.size()));
    if (added) {
        std::string name = interface_name;
        if (packet.interface_id != 0) name += "#" + std::to_string(packet.interface_id);
        append_interface_block(out, frame_link_type, name, kSnaplen);
    }
    const PacketAnnotation& a = packet.annotation;
    std::shared_ptr<const snapshot::ProcessInfo> owner;
    if (a.has_flow && lookup) {
        // Flows keep their owner: look it up until found, then remember it.
        if (auto found = owners.find(a.flow_serial); found != owners.end()) {
            owner = found->second;
        } else if ((owner = lookup(a))) {
            if (owners.size() >= 65536) owners.clear();  // bounded; refilled on demand
            owners.emplace(a.flow_serial, owner);
        }
    }
    std::shared_ptr<const snapshot::GeoInfo> geo;
    if (a.has_flow && geo_lookup) {
        if (auto found = geos.find(a.flow_serial); found != geos.end()) {
            geo = found->second;
        } else {
            geo = geo_lookup(a.destination_ip);
            if (geos.size() >= 65536) geos.clear();  // bounded; refilled on demand
            geos.emplace(a.flow_serial, geo);
        }
    }
    append_packet_block(out, it->second, packet.ts_ns, packet.wire_len, packet.bytes,
                        packet_comment(owner.get(), a.direction, a.app.get(), geo.get()));
}

core::Result<std::unique_ptr<PcapngExport>> PcapngExport::open(const std::string& path, int link_type,
                                                               std::string interface_name,
                                                               ProcessLookup lookup,
                                                               AsyncWriterOptions options,
                                                               GeoLookup geo_lookup) {
    auto sink = FileSink::open(path);
    if (!sink) return std::move(sink).error();
    std::unique_ptr<PcapngExport> e(new PcapngExport());
    e->path_ = path;
    e->state_ = std::make_shared<RenderState>();
    e->state_->link_type = link_type;
    e->state_->interface_name = std::move(interface_name);
    e->state_->lookup = std::move(lookup);
    e->state_->geo_lookup = std::move(geo_lookup);
    std::string preamble;
    append_section_header(preamble, "sockeye");
    e->writer_ = std::make_unique<AsyncWriter<PacketRecord>>(
        "pcapng", std::move(sink).value(),
        [state = e->state_](PacketRecord& p, std::string& out) { state->render(p, out); },
        std::move(preamble), options);
    return e;
}

void PcapngExport::add(const core::RawFrame& frame, PacketAnnotation annotation) {
    // The queue counts what a record costs in memory, not just its bytes.
    const std::size_t cost = frame.bytes.size() + sizeof(PacketRecord);
    writer_->push(copy_packet(frame, std::move(annotation)), cost);
}

}  // namespace sockeye::exports
