// Helpers for the byte-level decode fixtures: frames are written as hex
// strings (whitespace allowed) with a comment per field, then run through the
// real Decoder for a given link type.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ip_address.hpp"
#include "core/raw_frame.hpp"
#include "decode/decoded_frame.hpp"
#include "decode/decoder.hpp"

namespace sockeye::decode::test {

inline constexpr int kEthernet = 1;
inline constexpr int kNull = 0;
inline constexpr int kRaw = 12;
inline constexpr int kLoop = 108;
inline constexpr int kSll = 113;
inline constexpr int kLinktypeRaw = 101;
inline constexpr int kIpv4Only = 228;
inline constexpr int kIpv6Only = 229;
inline constexpr int kSll2 = 276;

inline std::vector<std::uint8_t> hex(std::string_view text) {
    std::vector<std::uint8_t> out;
    int high = -1;
    for (const char c : text) {
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        if (v < 0) {
            if (c == ' ' || c == '\n') continue;
            throw std::invalid_argument(std::string("bad hex character: ") + c);
        }
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high * 16 + v));
            high = -1;
        }
    }
    if (high >= 0) throw std::invalid_argument("odd number of hex digits");
    return out;
}

// Decodes bytes the caller keeps alive, as captured with the given wire
// length (default: all of them).
inline DecodedFrame decode_span(int link_type, std::span<const std::uint8_t> bytes,
                                std::uint32_t wire_len = 0) {
    const Decoder decoder(link_type);
    core::RawFrame frame;
    frame.ts_ns = 1'700'000'000'000'000'000;
    frame.bytes = bytes;
    frame.wire_len = wire_len != 0 ? wire_len : static_cast<std::uint32_t>(bytes.size());
    DecodedFrame out;
    decoder.decode(frame, out);
    return out;
}

// A decoded frame that owns the bytes its spans (payload) point into. Moving
// it keeps them valid: a moved vector keeps its buffer.
struct OwnedFrame : DecodedFrame {
    std::vector<std::uint8_t> bytes;
};

inline OwnedFrame decode_bytes(int link_type, std::vector<std::uint8_t> bytes,
                               std::uint32_t wire_len = 0) {
    OwnedFrame f;
    f.bytes = std::move(bytes);
    static_cast<DecodedFrame&>(f) = decode_span(link_type, f.bytes, wire_len);
    return f;
}

inline OwnedFrame decode_hex(int link_type, std::string_view text) {
    return decode_bytes(link_type, hex(text));
}

inline core::IpAddress ip(const char* text) { return core::IpAddress::parse(text); }

inline std::string payload_text(const DecodedFrame& f) {
    return {f.payload.begin(), f.payload.end()};
}

// The anomaly bits other than snaplen_truncated, for "nothing went wrong" checks.
inline std::uint32_t problems(const DecodedFrame& f) {
    return f.anomalies & ~(1u << static_cast<unsigned>(Anomaly::snaplen_truncated));
}

// Common building blocks.
// Ethernet: dst 02:00:00:00:00:02, src 02:00:00:00:00:01.
inline constexpr std::string_view kEthMacs = "020000000002 020000000001";
// IPv4 header, 20 bytes, 10.0.0.1 -> 10.0.0.2, TTL 64; total length and
// protocol are filled in by each fixture.
inline std::string ipv4_header(std::uint16_t total_len, std::uint8_t proto) {
    static const char* const kDigits = "0123456789abcdef";
    std::string s = "4500";  // version 4, IHL 5, DSCP 0
    for (int shift = 12; shift >= 0; shift -= 4) s += kDigits[(total_len >> shift) & 0xF];
    s += " 1234 4000";  // id 0x1234, DF, offset 0
    s += " 40";         // TTL 64
    s += kDigits[proto >> 4];
    s += kDigits[proto & 0xF];
    s += " 0000 0a000001 0a000002";  // checksum, src, dst
    return s;
}

}  // namespace sockeye::decode::test
