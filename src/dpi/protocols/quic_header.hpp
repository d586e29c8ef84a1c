// QUIC packet headers as they appear on the wire (RFC 8999 invariants,
// RFC 9000 §17, RFC 9369 §3.2 for v2's packet type encoding): versions,
// long-header parsing with coalesced packets, variable-length integers.
// Pure functions over one datagram; nothing here decrypts.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/byte_reader.hpp"

namespace sockeye::dpi::quic {

inline constexpr std::uint32_t kVersionNegotiation = 0x00000000;
inline constexpr std::uint32_t kVersion1 = 0x00000001;
inline constexpr std::uint32_t kVersion2 = 0x6b3343cf;  // RFC 9369
inline constexpr std::uint32_t kDraftVersionBase = 0xff000000;  // 0xff0000NN: draft-NN
inline constexpr std::size_t kMaxCidBytes = 20;   // RFC 9000 §17.2 for v1 and v2
inline constexpr std::uint8_t kLongHeaderBit = 0x80;
inline constexpr std::uint8_t kFixedBit = 0x40;

// Reads a variable-length integer (RFC 9000 §16). On short input the reader
// is marked failed and 0 returned, like every ByteReader read.
std::uint64_t read_varint(core::ByteReader& reader);

// True for the versions whose packets this module can parse past the
// connection IDs: v1, v2 and IETF drafts (which share v1's layout).
bool is_supported_version(std::uint32_t version);
bool is_draft_version(std::uint32_t version);
// "v1", "v2", "draft-29", "negotiation", or "0x%08x" for anything else.
std::string version_name(std::uint32_t version);

enum class PacketType : std::uint8_t {
    initial,
    zero_rtt,
    handshake,
    retry,
    version_negotiation,
    unknown,  // a long header of a version we do not know
};

// The type a long header's bits 5..4 encode; v2 permutes v1's codes.
PacketType long_packet_type(std::uint32_t version, std::uint8_t first_byte);

// A connection ID copied out of a packet (they outlive the datagram).
struct ConnectionId {
    std::array<std::uint8_t, kMaxCidBytes> bytes{};
    std::uint8_t size = 0;

    // Copies at most kMaxCidBytes; false (and empty) when `cid` is longer.
    bool assign(std::span<const std::uint8_t> cid);
    [[nodiscard]] std::span<const std::uint8_t> view() const { return {bytes.data(), size}; }
    [[nodiscard]] bool empty() const { return size == 0; }
    bool operator==(const ConnectionId& other) const;
};


// One long-header packet. Spans point into the datagram given to the parser.
struct LongHeader {
    std::uint8_t first_byte = 0;
    std::uint32_t version = 0;
    // The version whose layout (and Initial keys) apply: `version` itself,
    // or the guess parse_unknown_long_header made for an unknown version.
    std::uint32_t layout_version = 0;
    PacketType type = PacketType::unknown;
    std::span<const std::uint8_t> dcid;
    std::span<const std::uint8_t> scid;
    std::span<const std::uint8_t> token;  // Initial token, or the Retry token
    // Version Negotiation: the supported versions, 4 bytes each.
    std::span<const std::uint8_t> versions;
    // Initial / 0-RTT / Handshake: where the protected packet number starts,
    // counted from the packet's first byte.
    std::size_t pn_offset = 0;
    // Bytes this packet occupies; a coalesced packet may follow it.
    std::size_t packet_size = 0;
};

enum class HeaderStatus : std::uint8_t {
    ok,
    short_header,  // first bit clear: a 1-RTT packet (or not QUIC)
    malformed,     // truncated, or lengths that do not fit the datagram
};

// Parses the long-header packet at the start of `bytes`.
HeaderStatus parse_long_header(std::span<const std::uint8_t> bytes, LongHeader& out);

// Reads a long header of a version we do not know with a known version's
// layout. Clients probe with reserved versions (0x?a?a?a?a) to provoke
// Version Negotiation and build those Initials like draft-29 ones (ngtcp2
// does; tshark reads them so too); other unknown versions are read as v1.
// Only an AEAD open with that version's keys makes the guess trustworthy.
HeaderStatus parse_unknown_long_header(std::span<const std::uint8_t> bytes, LongHeader& out);

// 0x?a?a?a?a: versions reserved to force Version Negotiation (RFC 9000 §15).
bool is_reserved_version(std::uint32_t version);

}  // namespace sockeye::dpi::quic
