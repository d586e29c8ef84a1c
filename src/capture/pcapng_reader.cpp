#include "capture/pcapng_reader.hpp"

#include <algorithm>
#include <cstring>

#include "capture/capture_time.hpp"
#include "core/byte_reader.hpp"

namespace sockeye::capture {
namespace {

// Block types and option codes (draft-ietf-opsawg-pcapng).
constexpr std::uint32_t kInterfaceDescription = 0x00000001;
constexpr std::uint32_t kObsoletePacket = 0x00000002;
constexpr std::uint32_t kSimplePacket = 0x00000003;
constexpr std::uint32_t kEnhancedPacket = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kIfTsresol = 9;
constexpr std::uint16_t kIfTsoffset = 14;
// Block header (type, length) and trailer (length).
constexpr std::uint32_t kBlockOverhead = 12;
// The section header's fixed part: overhead, magic, versions, section length.
constexpr std::uint32_t kMinSectionHeader = kBlockOverhead + 16;

std::uint32_t load32(const std::uint8_t* p, bool big_endian) {
    core::ByteReader r({p, 4});
    return big_endian ? r.u32_be() : r.u32_le();
}

// Fields of one block, in its section's byte order.
class Fields {
public:
    Fields(std::span<const std::uint8_t> bytes, bool big_endian)
        : r_(bytes), big_endian_(big_endian) {}

    std::uint16_t u16() { return big_endian_ ? r_.u16_be() : r_.u16_le(); }
    std::uint32_t u32() { return big_endian_ ? r_.u32_be() : r_.u32_le(); }
    std::uint64_t u64() {
        const std::uint64_t first = u32();
        const std::uint64_t second = u32();
        return big_endian_ ? (first << 32) | second : (second << 32) | first;
    }
    std::span<const std::uint8_t> take(std::size_t n) { return r_.take(n); }
    void skip_padding(std::size_t len) { r_.skip(std::min((4 - len % 4) % 4, r_.remaining())); }
    [[nodiscard]] std::size_t remaining() const { return r_.remaining(); }
    [[nodiscard]] bool ok() const { return r_.ok(); }

    // Calls f(code, value) for each option up to opt_endofopt. Options are
    // advisory: a malformed one ends the list, the block still counts.
    template <typename F>
    void for_each_option(F f) {
        while (r_.remaining() >= 4) {
            const std::uint16_t code = u16();
            const std::uint16_t len = u16();
            if (code == kOptEnd || len > r_.remaining()) return;
            const auto value = r_.take(len);
            skip_padding(len);
            f(code, value);
        }
    }

private:
    core::ByteReader r_;
    bool big_endian_;
};

std::string_view as_text(std::span<const std::uint8_t> value) {
    return {reinterpret_cast<const char*>(value.data()), value.size()};
}

}  // namespace

std::int64_t pcapng_time_ns(std::uint64_t units, std::uint8_t tsresol, std::int64_t tsoffset_s) {
    using u128 = unsigned __int128;
    const unsigned exponent = tsresol & 0x7Fu;
    u128 seconds = 0;
    u128 fraction_ns = 0;
    if ((tsresol & 0x80u) != 0) {
        // 2^-exponent seconds per unit.
        const u128 whole = u128{units} >> exponent;
        const u128 fraction = u128{units} - (whole << exponent);
        seconds = whole;
        fraction_ns = (fraction * 1'000'000'000u) >> exponent;
    } else if (exponent <= 38) {
        // 10^-exponent seconds per unit; 10^38 is the last power u128 holds.
        u128 per_second = 1;
        for (unsigned i = 0; i < exponent; ++i) per_second *= 10;
        seconds = units / per_second;
        const u128 fraction = units % per_second;
        u128 scale = 1;
        for (unsigned i = std::min(exponent, 9u); i < std::max(exponent, 9u); ++i) scale *= 10;
        fraction_ns = exponent <= 9 ? fraction * scale : fraction / scale;
    }
    // Units finer than 10^-38 s: any 64-bit count is less than a nanosecond.
    const __int128 total = static_cast<__int128>(seconds) + tsoffset_s;
    const __int128 clamped = std::clamp<__int128>(total, -1, kMaxCaptureSeconds + 1);
    return capture_time_ns(static_cast<std::int64_t>(clamped),
                           static_cast<std::int64_t>(fraction_ns));
}

PcapngReader::Status PcapngReader::fail(Status status, std::string message) {
    error_ = std::move(message);
    return status;
}

PcapngReader::Status PcapngReader::start() {
    PcapngPacket ignored;
    Block kind = Block::other;
    // A packet before the first interface cannot happen here: read_block()
    // refuses a packet whose interface is not described.
    while (interfaces_.empty()) {
        const Status s = read_block(kind, ignored);
        if (s != Status::packet) return s;
    }
    return Status::packet;
}

PcapngReader::Status PcapngReader::next(PcapngPacket& out) {
    for (;;) {
        Block kind = Block::other;
        const Status s = read_block(kind, out);
        if (s != Status::packet) return s;
        if (kind == Block::packet) return Status::packet;
    }
}

PcapngReader::Status PcapngReader::read_block(Block& kind, PcapngPacket& out) {
    block_offset_ = input_.position();
    const std::string at = " at byte " + std::to_string(block_offset_);
    std::uint8_t head[12] = {};
    const std::size_t got = input_.read({head, 8});
    if (got == 0) {
        if (!input_.error().empty()) return fail(Status::error, "read error: " + input_.error());
        return Status::end;
    }
    if (got < 8) return fail(Status::truncated, "block header" + at + " cut short");
    const std::uint32_t type = load32(head, big_endian_);
    std::size_t prefix = 0;  // body bytes already read (the byte-order magic)
    if (type == kPcapngSectionHeader) {
        // The magic says the section's byte order, which its length is in.
        if (input_.read({head + 8, 4}) < 4)
            return fail(Status::truncated, "section header" + at + " cut short");
        if (load32(head + 8, true) == kByteOrderMagic) {
            big_endian_ = true;
        } else if (load32(head + 8, false) == kByteOrderMagic) {
            big_endian_ = false;
        } else {
            return fail(Status::error, "section header" + at + " has no byte-order magic");
        }
        prefix = 4;
    } else if (!in_section_) {
        return fail(Status::error, "block" + at + " comes before any section header");
    }
    const std::uint32_t total = load32(head + 4, big_endian_);
    if (total < kBlockOverhead || total % 4 != 0 ||
        (type == kPcapngSectionHeader && total < kMinSectionHeader)) {
        return fail(Status::error, "block" + at + " has an invalid length " + std::to_string(total));
    }
    if (total > kPcapngMaxBlockBytes) {
        return fail(Status::error, "block" + at + " claims " + std::to_string(total) +
                                       " bytes, more than a block may have (16 MiB)");
    }
    body_.resize(total - kBlockOverhead);
    std::memcpy(body_.data(), head + 8, prefix);
    const std::size_t want = body_.size() - prefix;
    std::uint8_t trailer[4] = {};
    const std::size_t body_got = input_.read({body_.data() + prefix, want});
    const std::size_t trailer_got = body_got == want ? input_.read({trailer, 4}) : 0;
    if (body_got < want || trailer_got < 4) {
        if (!input_.error().empty()) return fail(Status::error, "read error: " + input_.error());
        return fail(Status::truncated, "block" + at + " of " + std::to_string(total) +
                                           " bytes cut short after " +
                                           std::to_string(8 + body_got + trailer_got));
    }
    if (load32(trailer, big_endian_) != total) {
        return fail(Status::error, "block" + at + ": its trailing length " +
                                       std::to_string(load32(trailer, big_endian_)) +
                                       " differs from its leading length " + std::to_string(total));
    }

    kind = Block::other;
    bool ok = true;
    switch (type) {
        case kPcapngSectionHeader: ok = parse_section_header(); break;
        case kInterfaceDescription:
            kind = Block::interface;
            ok = parse_interface();
            break;
        case kEnhancedPacket:
            kind = Block::packet;
            ok = parse_enhanced_packet(out);
            break;
        case kSimplePacket:
            kind = Block::packet;
            ok = parse_simple_packet(out);
            break;
        case kObsoletePacket:
            kind = Block::packet;
            ok = parse_obsolete_packet(out);
            break;
        default: break;  // NRB, ISB, DSB, custom, ...: nothing sockeye uses
    }
    if (!ok) {
        // A section of an unknown version is not damage: its message stays
        // libpcap's own, without an offset.
        if (type != kPcapngSectionHeader) error_ += at;
        return Status::error;
    }
    return Status::packet;
}

bool PcapngReader::parse_section_header() {
    Fields f(body_, big_endian_);
    f.u32();  // the byte-order magic, checked by read_block()
    const std::uint16_t major = f.u16();
    if (major != 1) {
        // libpcap's words, so a message reads the same whichever reader saw it.
        error_ = "unknown pcapng savefile major version number " + std::to_string(major);
        return false;
    }
    // Minor version, section length and options: nothing sockeye needs.
    in_section_ = true;
    interfaces_.clear();
    return true;
}

bool PcapngReader::parse_interface() {
    Fields f(body_, big_endian_);
    PcapngInterface itf;
    itf.link_type = f.u16();
    f.u16();  // reserved
    itf.snaplen = f.u32();
    if (!f.ok()) {
        error_ = "interface description block too short";
        return false;
    }
    const bool big_endian = big_endian_;
    f.for_each_option([&itf, big_endian](std::uint16_t code, std::span<const std::uint8_t> v) {
        if (code == kIfTsresol && v.size() >= 1) itf.tsresol = v[0];
        if (code == kIfTsoffset && v.size() == 8) {
            Fields value(v, big_endian);
            itf.tsoffset_s = static_cast<std::int64_t>(value.u64());
        }
    });
    if (first_link_type_ < 0) first_link_type_ = itf.link_type;
    interfaces_.push_back(itf);
    return true;
}

namespace {

// The part EPB and PB share after their interface field: timestamp, lengths,
// data, options. False with `error` set when the block cannot hold it.
bool parse_packet_tail(Fields& f, std::uint32_t interface_id,
                       const std::vector<PcapngInterface>& interfaces, PcapngPacket& out,
                       std::string& error) {
    const std::uint64_t high = f.u32();
    const std::uint64_t low = f.u32();
    const std::uint32_t caplen = f.u32();
    out.wire_len = f.u32();
    if (!f.ok()) {
        error = "packet block too short";
        return false;
    }
    if (interface_id >= interfaces.size()) {
        error = "packet on interface " + std::to_string(interface_id) + " but its section has " +
                std::to_string(interfaces.size()) + " interfaces";
        return false;
    }
    if (caplen > f.remaining()) {
        error = "packet claims " + std::to_string(caplen) + " captured bytes, its block holds " +
                std::to_string(f.remaining());
        return false;
    }
    const PcapngInterface& itf = interfaces[interface_id];
    out.bytes = f.take(caplen);
    f.skip_padding(caplen);
    out.interface_id = interface_id;
    out.link_type = itf.link_type;
    out.ts_ns = pcapng_time_ns((high << 32) | low, itf.tsresol, itf.tsoffset_s);
    out.comment = {};
    f.for_each_option([&out](std::uint16_t code, std::span<const std::uint8_t> v) {
        if (code == kOptComment && out.comment.empty()) out.comment = as_text(v);
    });
    return true;
}

}  // namespace

bool PcapngReader::parse_enhanced_packet(PcapngPacket& out) {
    Fields f(body_, big_endian_);
    const std::uint32_t interface_id = f.u32();
    return parse_packet_tail(f, interface_id, interfaces_, out, error_);
}

bool PcapngReader::parse_obsolete_packet(PcapngPacket& out) {
    Fields f(body_, big_endian_);
    const std::uint16_t interface_id = f.u16();
    f.u16();  // drops count
    return parse_packet_tail(f, interface_id, interfaces_, out, error_);
}

bool PcapngReader::parse_simple_packet(PcapngPacket& out) {
    // No interface field (it is the first one), no timestamp, and the
    // captured length is implied: the original length cut to the snaplen.
    Fields f(body_, big_endian_);
    out.wire_len = f.u32();
    if (!f.ok()) {
        error_ = "simple packet block too short";
        return false;
    }
    if (interfaces_.empty()) {
        error_ = "simple packet block but its section has no interface";
        return false;
    }
    const PcapngInterface& itf = interfaces_.front();
    std::size_t caplen = std::min<std::size_t>(out.wire_len, f.remaining());
    if (itf.snaplen != 0) caplen = std::min<std::size_t>(caplen, itf.snaplen);
    out.bytes = f.take(caplen);
    out.interface_id = 0;
    out.link_type = itf.link_type;
    out.ts_ns = 0;
    out.comment = {};
    return true;
}

}  // namespace sockeye::capture
