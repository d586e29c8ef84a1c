// Builds QUIC packets: protected Initials (with the library's own Initial
// keys) and plain long/short headers. For unit tests, the fuzz target and
// generated captures only; the packet path never builds packets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dpi/protocols/quic_header.hpp"

namespace sockeye::dpi::quic {

void append_varint(std::vector<std::uint8_t>& out, std::uint64_t value);
void append_crypto_frame(std::vector<std::uint8_t>& out, std::uint64_t offset,
                         std::span<const std::uint8_t> data);
void append_close_frame(std::vector<std::uint8_t>& out, bool application,
                        std::uint64_t error_code, std::uint64_t frame_type,
                        std::span<const std::uint8_t> reason);

// The first byte of a long header of `type` in `version` (fixed bit set,
// PN length bits = pn_length - 1).
std::uint8_t long_first_byte(std::uint32_t version, PacketType type, std::size_t pn_length);

struct InitialSpec {
    std::uint32_t version = kVersion1;
    // Packet layout and keys; 0: those of `version`. Set it to v1 to build a
    // version probe with an unknown (e.g. reserved 0x?a?a?a?a) version.
    std::uint32_t layout_version = 0;
    std::span<const std::uint8_t> dcid;
    std::span<const std::uint8_t> scid;
    std::span<const std::uint8_t> token;
    // The DCID the keys come from (the client's first one); empty: `dcid`.
    std::span<const std::uint8_t> key_dcid;
    bool from_server = false;
    std::uint64_t packet_number = 0;
    std::size_t pn_length = 4;  // 1..4
    std::span<const std::uint8_t> frames;  // plaintext
    std::size_t pad_to = 0;  // add PADDING until the packet has this many bytes
};

// A protected Initial packet; empty when the version has no known salt or a
// parameter is out of range.
std::vector<std::uint8_t> build_initial(const InitialSpec& spec);

// An unprotected long-header packet (Handshake / 0-RTT) whose payload is
// `body` as given; enough for header parsing and state tracking.
std::vector<std::uint8_t> build_long_packet(std::uint32_t version, PacketType type,
                                            std::span<const std::uint8_t> dcid,
                                            std::span<const std::uint8_t> scid,
                                            std::span<const std::uint8_t> body);

std::vector<std::uint8_t> build_version_negotiation(std::span<const std::uint8_t> dcid,
                                                    std::span<const std::uint8_t> scid,
                                                    std::span<const std::uint32_t> versions);

// A short-header packet to `dcid` with `body_size` opaque bytes after it.
std::vector<std::uint8_t> build_short_packet(std::span<const std::uint8_t> dcid,
                                             std::size_t body_size);

}  // namespace sockeye::dpi::quic
