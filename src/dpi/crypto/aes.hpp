// AES-128 as QUIC Initial packet protection needs it (RFC 9001 §5.3, §5.4.3):
// single-block ECB encryption for the header protection mask and AES-128-GCM
// to open (and, for tests and generated captures, seal) packet payloads.
// RAII wrappers over mbedcrypto contexts; nothing here implements AES or GCM.
//
// The contexts hold pointers into themselves, so the wrappers can be neither
// copied nor moved: keep them in place or behind a unique_ptr.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include <mbedtls/aes.h>
#include <mbedtls/gcm.h>

namespace sockeye::dpi::crypto {

inline constexpr std::size_t kAes128KeyBytes = 16;
inline constexpr std::size_t kAesBlockBytes = 16;
inline constexpr std::size_t kGcmNonceBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;

class Aes128Ecb {
public:
    Aes128Ecb();
    ~Aes128Ecb();
    Aes128Ecb(const Aes128Ecb&) = delete;
    Aes128Ecb& operator=(const Aes128Ecb&) = delete;
    Aes128Ecb(Aes128Ecb&&) = delete;
    Aes128Ecb& operator=(Aes128Ecb&&) = delete;

    bool set_key(std::span<const std::uint8_t, kAes128KeyBytes> key);
    // Encrypts one block; false before a key was set or on a library error.
    bool encrypt_block(std::span<const std::uint8_t, kAesBlockBytes> in,
                       std::span<std::uint8_t, kAesBlockBytes> out);

private:
    mbedtls_aes_context ctx_{};
    bool keyed_ = false;
};

class Aes128Gcm {
public:
    Aes128Gcm();
    ~Aes128Gcm();
    Aes128Gcm(const Aes128Gcm&) = delete;
    Aes128Gcm& operator=(const Aes128Gcm&) = delete;
    Aes128Gcm(Aes128Gcm&&) = delete;
    Aes128Gcm& operator=(Aes128Gcm&&) = delete;

    bool set_key(std::span<const std::uint8_t, kAes128KeyBytes> key);

    // Authenticates and decrypts `sealed` (ciphertext followed by the 16-byte
    // tag) into `plaintext`, which must hold sealed.size() - 16 bytes and not
    // overlap `sealed`. False when the tag does not verify, the sizes do not
    // fit or no key was set; `plaintext` is then zeroed.
    bool open(std::span<const std::uint8_t, kGcmNonceBytes> nonce,
              std::span<const std::uint8_t> aad, std::span<const std::uint8_t> sealed,
              std::span<std::uint8_t> plaintext);

    // Encrypts `plaintext` into `sealed` (ciphertext then tag), which must
    // hold plaintext.size() + 16 bytes and not overlap it.
    bool seal(std::span<const std::uint8_t, kGcmNonceBytes> nonce,
              std::span<const std::uint8_t> aad, std::span<const std::uint8_t> plaintext,
              std::span<std::uint8_t> sealed);

private:
    mbedtls_gcm_context ctx_{};
    bool keyed_ = false;
};

}  // namespace sockeye::dpi::crypto
