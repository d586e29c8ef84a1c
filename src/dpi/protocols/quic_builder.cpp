#include "dpi/protocols/quic_builder.hpp"

#include "dpi/crypto/aes.hpp"
#include "dpi/protocols/quic_initial.hpp"

namespace sockeye::dpi::quic {
namespace {

constexpr std::uint64_t kMaxVarint1 = 63;
constexpr std::uint64_t kMaxVarint2 = 16383;
constexpr std::uint64_t kMaxVarint4 = 1073741823;

void append_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void append_cids(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> dcid,
                 std::span<const std::uint8_t> scid) {
    out.push_back(static_cast<std::uint8_t>(dcid.size()));
    out.insert(out.end(), dcid.begin(), dcid.end());
    out.push_back(static_cast<std::uint8_t>(scid.size()));
    out.insert(out.end(), scid.begin(), scid.end());
}

// Two-byte (or four-byte) Length so the header size does not depend on the
// padding computed from it.
void append_length(std::vector<std::uint8_t>& out, std::uint64_t length) {
    if (length <= kMaxVarint2) {
        out.push_back(static_cast<std::uint8_t>(0x40 | (length >> 8)));
        out.push_back(static_cast<std::uint8_t>(length));
        return;
    }
    out.push_back(static_cast<std::uint8_t>(0x80 | (length >> 24)));
    out.push_back(static_cast<std::uint8_t>(length >> 16));
    out.push_back(static_cast<std::uint8_t>(length >> 8));
    out.push_back(static_cast<std::uint8_t>(length));
}

}  // namespace

void append_varint(std::vector<std::uint8_t>& out, std::uint64_t value) {
    if (value <= kMaxVarint1) {
        out.push_back(static_cast<std::uint8_t>(value));
    } else if (value <= kMaxVarint2) {
        append_length(out, value);
    } else if (value <= kMaxVarint4) {
        append_u32(out, static_cast<std::uint32_t>(0x80000000u | value));
    } else {
        append_u32(out, static_cast<std::uint32_t>(0xc0000000u | (value >> 32)));
        append_u32(out, static_cast<std::uint32_t>(value));
    }
}

void append_crypto_frame(std::vector<std::uint8_t>& out, std::uint64_t offset,
                         std::span<const std::uint8_t> data) {
    out.push_back(0x06);
    append_varint(out, offset);
    append_varint(out, data.size());
    out.insert(out.end(), data.begin(), data.end());
}

void append_close_frame(std::vector<std::uint8_t>& out, bool application,
                        std::uint64_t error_code, std::uint64_t frame_type,
                        std::span<const std::uint8_t> reason) {
    out.push_back(application ? 0x1d : 0x1c);
    append_varint(out, error_code);
    if (!application) append_varint(out, frame_type);
    append_varint(out, reason.size());
    out.insert(out.end(), reason.begin(), reason.end());
}

std::uint8_t long_first_byte(std::uint32_t version, PacketType type, std::size_t pn_length) {
    std::uint8_t bits = 0;
    switch (type) {
        case PacketType::initial: bits = version == kVersion2 ? 1 : 0; break;
        case PacketType::zero_rtt: bits = version == kVersion2 ? 2 : 1; break;
        case PacketType::handshake: bits = version == kVersion2 ? 3 : 2; break;
        case PacketType::retry: bits = version == kVersion2 ? 0 : 3; break;
        default: break;
    }
    const auto pn_bits = static_cast<std::uint8_t>((pn_length - 1) & 0x03);
    return static_cast<std::uint8_t>(kLongHeaderBit | kFixedBit | (bits << 4) | pn_bits);
}

std::vector<std::uint8_t> build_initial(const InitialSpec& spec) {
    if (spec.pn_length < 1 || spec.pn_length > 4 || spec.dcid.size() > kMaxCidBytes ||
        spec.scid.size() > kMaxCidBytes)
        return {};
    InitialKeys keys;
    const auto key_dcid = spec.key_dcid.empty() ? spec.dcid : spec.key_dcid;
    const std::uint32_t layout = spec.layout_version != 0 ? spec.layout_version : spec.version;
    if (!derive_initial_keys(layout, key_dcid, keys)) return {};

    std::vector<std::uint8_t> out;
    out.push_back(long_first_byte(layout, PacketType::initial, spec.pn_length));
    append_u32(out, spec.version);
    append_cids(out, spec.dcid, spec.scid);
    append_varint(out, spec.token.size());
    out.insert(out.end(), spec.token.begin(), spec.token.end());
    // Header so far + Length (2 bytes for Initials) + PN: what padding must fill.
    std::size_t body = spec.pn_length + spec.frames.size() + crypto::kGcmTagBytes;
    // The header protection sample needs 4 + 16 bytes past the PN start.
    const std::size_t min_body = kMaxPacketNumberBytes + kHpSampleBytes;
    std::size_t padding = body < min_body ? min_body - body : 0;
    const std::size_t header_len = out.size() + 2;
    if (spec.pad_to > header_len + body + padding) padding = spec.pad_to - header_len - body;
    body += padding;
    if (body > kMaxVarint2) return {};
    append_length(out, body);
    const std::size_t pn_offset = out.size();
    for (std::size_t i = spec.pn_length; i > 0; --i)
        out.push_back(static_cast<std::uint8_t>(spec.packet_number >> (8 * (i - 1))));
    out.insert(out.end(), spec.frames.begin(), spec.frames.end());
    out.insert(out.end(), padding, std::uint8_t{0});
    out.insert(out.end(), crypto::kGcmTagBytes, std::uint8_t{0});
    auto& protection = spec.from_server ? keys.server : keys.client;
    if (!protect_long_packet(protection, out, pn_offset, spec.packet_number)) return {};
    return out;
}

std::vector<std::uint8_t> build_long_packet(std::uint32_t version, PacketType type,
                                            std::span<const std::uint8_t> dcid,
                                            std::span<const std::uint8_t> scid,
                                            std::span<const std::uint8_t> body) {
    std::vector<std::uint8_t> out;
    out.push_back(long_first_byte(version, type, 1));
    append_u32(out, version);
    append_cids(out, dcid, scid);
    if (type == PacketType::initial) out.push_back(0);  // no token
    if (type != PacketType::retry) append_length(out, body.size() + 1);
    if (type != PacketType::retry) out.push_back(0);  // packet number
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

std::vector<std::uint8_t> build_version_negotiation(std::span<const std::uint8_t> dcid,
                                                    std::span<const std::uint8_t> scid,
                                                    std::span<const std::uint32_t> versions) {
    std::vector<std::uint8_t> out;
    out.push_back(kLongHeaderBit | 0x2a);  // the other bits are arbitrary
    append_u32(out, kVersionNegotiation);
    append_cids(out, dcid, scid);
    for (const std::uint32_t v : versions) append_u32(out, v);
    return out;
}

std::vector<std::uint8_t> build_short_packet(std::span<const std::uint8_t> dcid,
                                             std::size_t body_size) {
    // Built byte by byte: g++ 12 at -O3 misreads the bulk vector operations
    // here as out-of-bounds or null accesses (-Warray-bounds,
    // -Wnull-dereference).
    std::vector<std::uint8_t> out;
    out.reserve(1 + dcid.size() + body_size);
    out.push_back(static_cast<std::uint8_t>(kFixedBit | 0x01));
    for (const std::uint8_t b : dcid) out.push_back(b);
    for (std::size_t i = 0; i < body_size; ++i) out.push_back(0x5a);
    return out;
}

}  // namespace sockeye::dpi::quic
