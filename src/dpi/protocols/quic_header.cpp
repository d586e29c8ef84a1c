#include "dpi/protocols/quic_header.hpp"

#include <algorithm>
#include <cstdio>

namespace sockeye::dpi::quic {
namespace {

constexpr std::uint8_t kTypeShift = 4;
constexpr std::uint8_t kTypeMask = 0x03;
constexpr std::size_t kRetryTagBytes = 16;
constexpr std::size_t kVersionBytes = 4;
// RFC 8999 allows 255-byte connection IDs in versions we do not know.
constexpr std::size_t kMaxInvariantCidBytes = 255;

HeaderStatus parse_versions(core::ByteReader& r, LongHeader& out) {
    // A Version Negotiation packet lists at least one version and nothing else.
    const auto rest = r.rest();
    if (rest.empty() || rest.size() % kVersionBytes != 0) return HeaderStatus::malformed;
    out.versions = rest;
    out.packet_size = r.offset() + rest.size();
    return HeaderStatus::ok;
}

HeaderStatus parse_typed(core::ByteReader& r, LongHeader& out) {
    if (out.type == PacketType::retry) {
        const auto rest = r.rest();
        if (rest.size() < kRetryTagBytes) return HeaderStatus::malformed;
        out.token = rest.first(rest.size() - kRetryTagBytes);
        out.packet_size = r.offset() + rest.size();
        return HeaderStatus::ok;
    }
    if (out.type == PacketType::initial) {
        const std::uint64_t token_len = read_varint(r);
        if (!r.ok() || token_len > r.remaining()) return HeaderStatus::malformed;
        out.token = r.take(static_cast<std::size_t>(token_len));
    }
    const std::uint64_t length = read_varint(r);
    // The Length covers packet number and payload: at least one PN byte.
    if (!r.ok() || length == 0 || length > r.remaining()) return HeaderStatus::malformed;
    out.pn_offset = r.offset();
    out.packet_size = r.offset() + static_cast<std::size_t>(length);
    return HeaderStatus::ok;
}

}  // namespace

std::uint64_t read_varint(core::ByteReader& reader) {
    const std::uint8_t first = reader.u8();
    if (!reader.ok()) return 0;
    const unsigned extra_bytes = (1u << (first >> 6)) - 1u;
    std::uint64_t value = first & 0x3fu;
    for (unsigned i = 0; i < extra_bytes; ++i) value = (value << 8) | reader.u8();
    return reader.ok() ? value : 0;
}

bool is_draft_version(std::uint32_t version) {
    return (version & 0xffffff00u) == kDraftVersionBase;
}

bool is_supported_version(std::uint32_t version) {
    return version == kVersion1 || version == kVersion2 || is_draft_version(version);
}

std::string version_name(std::uint32_t version) {
    if (version == kVersion1) return "v1";
    if (version == kVersion2) return "v2";
    if (version == kVersionNegotiation) return "negotiation";
    if (is_draft_version(version)) return "draft-" + std::to_string(version & 0xffu);
    char buf[11];
    std::snprintf(buf, sizeof buf, "0x%08x", version);
    return buf;
}

PacketType long_packet_type(std::uint32_t version, std::uint8_t first_byte) {
    if (version == kVersionNegotiation) return PacketType::version_negotiation;
    if (!is_supported_version(version)) return PacketType::unknown;
    const auto bits = static_cast<std::uint8_t>((first_byte >> kTypeShift) & kTypeMask);
    if (version == kVersion2) {
        // RFC 9369 §3.2: Initial 0b01, 0-RTT 0b10, Handshake 0b11, Retry 0b00.
        constexpr PacketType kV2[] = {PacketType::retry, PacketType::initial,
                                      PacketType::zero_rtt, PacketType::handshake};
        return kV2[bits];
    }
    constexpr PacketType kV1[] = {PacketType::initial, PacketType::zero_rtt,
                                  PacketType::handshake, PacketType::retry};
    return kV1[bits];
}

bool ConnectionId::assign(std::span<const std::uint8_t> cid) {
    if (cid.size() > kMaxCidBytes) {
        size = 0;
        return false;
    }
    std::copy(cid.begin(), cid.end(), bytes.begin());
    size = static_cast<std::uint8_t>(cid.size());
    return true;
}

bool ConnectionId::operator==(const ConnectionId& other) const {
    return size == other.size && std::equal(view().begin(), view().end(), other.view().begin());
}

namespace {

HeaderStatus parse_with_layout(std::span<const std::uint8_t> bytes, LongHeader& out,
                               bool guess) {
    out = LongHeader{};
    core::ByteReader r(bytes);
    out.first_byte = r.u8();
    if (!r.ok()) return HeaderStatus::malformed;
    if ((out.first_byte & kLongHeaderBit) == 0) return HeaderStatus::short_header;
    out.version = r.u32_be();
    const bool forced = guess && out.version != kVersionNegotiation &&
                        !is_supported_version(out.version);
    constexpr std::uint32_t kDraft29 = kDraftVersionBase | 29;
    out.layout_version = !forced                           ? out.version
                         : is_reserved_version(out.version) ? kDraft29
                                                            : kVersion1;
    out.type = long_packet_type(out.layout_version, out.first_byte);
    const bool known = out.type != PacketType::unknown &&
                       out.type != PacketType::version_negotiation;
    const std::size_t max_cid = known ? kMaxCidBytes : kMaxInvariantCidBytes;
    const std::uint8_t dcid_len = r.u8();
    if (dcid_len > max_cid) return HeaderStatus::malformed;
    out.dcid = r.take(dcid_len);
    const std::uint8_t scid_len = r.u8();
    if (scid_len > max_cid) return HeaderStatus::malformed;
    out.scid = r.take(scid_len);
    if (!r.ok()) return HeaderStatus::malformed;

    if (out.type == PacketType::version_negotiation) return parse_versions(r, out);
    if (out.type == PacketType::unknown) {
        // Past the invariant fields the layout is the version's own: the
        // rest of the datagram is this packet.
        out.packet_size = bytes.size();
        return HeaderStatus::ok;
    }
    return parse_typed(r, out);
}

}  // namespace

HeaderStatus parse_long_header(std::span<const std::uint8_t> bytes, LongHeader& out) {
    return parse_with_layout(bytes, out, false);
}

HeaderStatus parse_unknown_long_header(std::span<const std::uint8_t> bytes, LongHeader& out) {
    return parse_with_layout(bytes, out, true);
}

bool is_reserved_version(std::uint32_t version) {
    return (version & 0x0f0f0f0fu) == 0x0a0a0a0au;
}

}  // namespace sockeye::dpi::quic
