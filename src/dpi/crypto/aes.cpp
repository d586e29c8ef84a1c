#include "dpi/crypto/aes.hpp"

namespace sockeye::dpi::crypto {
namespace {

constexpr unsigned kAes128KeyBits = 128;

}  // namespace

Aes128Ecb::Aes128Ecb() { mbedtls_aes_init(&ctx_); }

Aes128Ecb::~Aes128Ecb() { mbedtls_aes_free(&ctx_); }

bool Aes128Ecb::set_key(std::span<const std::uint8_t, kAes128KeyBytes> key) {
    keyed_ = mbedtls_aes_setkey_enc(&ctx_, key.data(), kAes128KeyBits) == 0;
    return keyed_;
}

bool Aes128Ecb::encrypt_block(std::span<const std::uint8_t, kAesBlockBytes> in,
                              std::span<std::uint8_t, kAesBlockBytes> out) {
    if (!keyed_) return false;
    return mbedtls_aes_crypt_ecb(&ctx_, MBEDTLS_AES_ENCRYPT, in.data(), out.data()) == 0;
}

Aes128Gcm::Aes128Gcm() { mbedtls_gcm_init(&ctx_); }

Aes128Gcm::~Aes128Gcm() { mbedtls_gcm_free(&ctx_); }

bool Aes128Gcm::set_key(std::span<const std::uint8_t, kAes128KeyBytes> key) {
    keyed_ = mbedtls_gcm_setkey(&ctx_, MBEDTLS_CIPHER_ID_AES, key.data(), kAes128KeyBits) == 0;
    return keyed_;
}

bool Aes128Gcm::open(std::span<const std::uint8_t, kGcmNonceBytes> nonce,
                     std::span<const std::uint8_t> aad, std::span<const std::uint8_t> sealed,
                     std::span<std::uint8_t> plaintext) {
    if (!keyed_ || sealed.size() < kGcmTagBytes) return false;
    const std::size_t n = sealed.size() - kGcmTagBytes;
    if (plaintext.size() < n) return false;
    const auto tag = sealed.subspan(n);
    // mbedtls zeroes the output itself when the tag does not verify.
    return mbedtls_gcm_auth_decrypt(&ctx_, n, nonce.data(), nonce.size(), aad.data(), aad.size(),
                                    tag.data(), tag.size(), sealed.data(),
                                    plaintext.data()) == 0;
}

bool Aes128Gcm::seal(std::span<const std::uint8_t, kGcmNonceBytes> nonce,
                     std::span<const std::uint8_t> aad, std::span<const std::uint8_t> plaintext,
                     std::span<std::uint8_t> sealed) {
    if (!keyed_ || sealed.size() < plaintext.size() + kGcmTagBytes) return false;
    const auto tag = sealed.subspan(plaintext.size(), kGcmTagBytes);
    return mbedtls_gcm_crypt_and_tag(&ctx_, MBEDTLS_GCM_ENCRYPT, plaintext.size(), nonce.data(),
                                     nonce.size(), aad.data(), aad.size(), plaintext.data(),
                                     sealed.data(), tag.size(), tag.data()) == 0;
}

}  // namespace sockeye::dpi::crypto
