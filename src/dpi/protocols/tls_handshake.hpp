// TLS handshake messages as they travel inside TLS records (TCP) and inside
// QUIC CRYPTO frames: the ClientHello parser shared by the TLS and QUIC
// probes, and the fingerprints computed from it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "snapshot/app_info.hpp"

namespace sockeye::dpi::tls {

struct ClientHello {
    std::uint16_t legacy_version = 0;
    std::vector<std::uint16_t> cipher_suites;        // in order, GREASE included
    std::vector<std::uint16_t> extensions;           // types in order, GREASE included
    std::vector<std::uint16_t> supported_versions;   // extension 43
    std::vector<std::uint16_t> supported_groups;     // extension 10
    std::vector<std::uint8_t> ec_point_formats;      // extension 11
    std::vector<std::uint16_t> signature_algorithms; // extension 13
    std::vector<std::string> alpn;                   // extension 16
    std::string sni;                                 // extension 0, host_name
};

enum class ParseStatus : std::uint8_t { ok, need_more, invalid };

// `message` starts at the handshake header (msg_type 1, 24-bit length). Returns
// need_more when the message is longer than the bytes given.
ParseStatus parse_client_hello(std::span<const std::uint8_t> message, ClientHello& out);

// JA4 (FoxIO) client fingerprint; `transport` is 't' (TCP) or 'q' (QUIC).
std::string ja4(const ClientHello& hello, char transport);
// JA3 string and its MD5 hex digest.
std::string ja3_string(const ClientHello& hello);
std::string ja3_hash(const ClientHello& hello);

// Fills the common ClientHello fields into `info`: domain = SNI, and fields
// "sni", "alpn", "client_versions", "ja4", "ja3", "ja3_hash".
void add_client_hello_fields(const ClientHello& hello, char transport, snapshot::AppInfo& info);

// GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa.
[[nodiscard]] constexpr bool is_grease(std::uint16_t v) {
    return (v & 0x0f0fu) == 0x0a0au && (v >> 8) == (v & 0xffu);
}
// "TLS 1.3", "TLS 1.2", ..., "SSL 3.0", "DTLS 1.2"; else "0x0305".
std::string version_name(std::uint16_t version);
// IANA name ("TLS_AES_128_GCM_SHA256"); unknown suites as "0x1234".
std::string cipher_suite_name(std::uint16_t suite);

}  // namespace sockeye::dpi::tls
