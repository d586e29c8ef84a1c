#include "dpi/crypto/hkdf.hpp"

#include <array>

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>

namespace sockeye::dpi::crypto {
namespace {

constexpr std::string_view kLabelPrefix = "tls13 ";
// HkdfLabel: u16 length, u8 label length, label (<= 255), u8 context length (0).
constexpr std::size_t kMaxLabelBytes = 255;
constexpr std::size_t kMaxInfoBytes = 2 + 1 + kMaxLabelBytes + 1;

const mbedtls_md_info_t* sha256() { return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256); }

}  // namespace

bool hkdf_extract_sha256(std::span<const std::uint8_t> salt, std::span<const std::uint8_t> ikm,
                         std::span<std::uint8_t, kSha256Bytes> prk) {
    const auto* md = sha256();
    if (md == nullptr) return false;
    return mbedtls_hkdf_extract(md, salt.data(), salt.size(), ikm.data(), ikm.size(),
                                prk.data()) == 0;
}

bool hkdf_expand_label_sha256(std::span<const std::uint8_t> secret, std::string_view label,
                              std::span<std::uint8_t> out) {
    const std::size_t full_label = kLabelPrefix.size() + label.size();
    // The output length travels as a u16 and HKDF itself stops at 255 blocks.
    if (full_label > kMaxLabelBytes || out.empty() || out.size() > 255 * kSha256Bytes)
        return false;
    const auto* md = sha256();
    if (md == nullptr) return false;

    std::array<unsigned char, kMaxInfoBytes> info{};
    std::size_t n = 0;
    info[n++] = static_cast<unsigned char>(out.size() >> 8);
    info[n++] = static_cast<unsigned char>(out.size() & 0xff);
    info[n++] = static_cast<unsigned char>(full_label);
    for (const char c : kLabelPrefix) info[n++] = static_cast<unsigned char>(c);
    for (const char c : label) info[n++] = static_cast<unsigned char>(c);
    info[n++] = 0;  // empty context: QUIC's labels never carry one

    return mbedtls_hkdf_expand(md, secret.data(), secret.size(), info.data(), n, out.data(),
                               out.size()) == 0;
}

}  // namespace sockeye::dpi::crypto
