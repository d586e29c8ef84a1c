// HKDF with SHA-256 (RFC 5869) and TLS 1.3's HKDF-Expand-Label (RFC 8446
// §7.1), as QUIC uses them to derive Initial packet protection keys
// (RFC 9001 §5). Thin wrappers over mbedcrypto: nothing here implements a
// hash or a KDF itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace sockeye::dpi::crypto {

inline constexpr std::size_t kSha256Bytes = 32;

// PRK = HMAC-SHA256(salt, ikm). False only if the library reports an error.
bool hkdf_extract_sha256(std::span<const std::uint8_t> salt, std::span<const std::uint8_t> ikm,
                         std::span<std::uint8_t, kSha256Bytes> prk);

// HKDF-Expand-Label(secret, label, "", out.size()) with the "tls13 " prefix.
// False when the label is too long for the encoding (more than 249 bytes),
// when `out` is empty or longer than HKDF allows, or on a library error.
bool hkdf_expand_label_sha256(std::span<const std::uint8_t> secret, std::string_view label,
                              std::span<std::uint8_t> out);

}  // namespace sockeye::dpi::crypto
