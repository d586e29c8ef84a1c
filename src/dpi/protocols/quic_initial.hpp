// QUIC Initial packet protection (RFC 9001 §5; RFC 9369 §3.3 for v2): keys
// derived from the client's first Destination Connection ID and a
// version-specific salt, header protection removal and AEAD open. Initial
// keys are public by design, which is what lets a passive observer read the
// ClientHello. The reverse direction (protect) exists for tests, fuzzing
// and generated captures.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "dpi/crypto/aes.hpp"
#include "dpi/protocols/quic_header.hpp"

namespace sockeye::dpi::quic {

inline constexpr std::size_t kMaxPacketNumberBytes = 4;
inline constexpr std::size_t kHpSampleBytes = 16;

// The Initial salt of `version`; empty for versions without one we know.
std::span<const std::uint8_t> initial_salt(std::uint32_t version);

// One direction's packet protection: AEAD key and IV, header protection key.
class PacketProtection {
public:
    // Derives key, iv and hp from a traffic secret with the version's labels.
    bool derive(std::uint32_t version, std::span<const std::uint8_t> secret);

    [[nodiscard]] const std::array<std::uint8_t, crypto::kAes128KeyBytes>& key() const {
        return key_;
    }
    [[nodiscard]] const std::array<std::uint8_t, crypto::kGcmNonceBytes>& iv() const {
        return iv_;
    }
    [[nodiscard]] const std::array<std::uint8_t, crypto::kAes128KeyBytes>& hp() const {
        return hp_;
    }

    // The 5-byte header protection mask for a 16-byte sample.
    bool mask(std::span<const std::uint8_t, kHpSampleBytes> sample,
              std::array<std::uint8_t, crypto::kAesBlockBytes>& out);
    // The AEAD nonce of a packet number: iv XOR the left-padded number.
    [[nodiscard]] std::array<std::uint8_t, crypto::kGcmNonceBytes> nonce(
        std::uint64_t packet_number) const;
    crypto::Aes128Gcm& aead() { return aead_; }

private:
    std::array<std::uint8_t, crypto::kAes128KeyBytes> key_{};
    std::array<std::uint8_t, crypto::kGcmNonceBytes> iv_{};
    std::array<std::uint8_t, crypto::kAes128KeyBytes> hp_{};
    crypto::Aes128Gcm aead_;
    crypto::Aes128Ecb hp_cipher_;
};

// Client and server Initial protection for one connection.
struct InitialKeys {
    ConnectionId dcid;  // the Destination Connection ID they were derived from
    PacketProtection client;
    PacketProtection server;
};

// Derives both directions' Initial keys (client_in / server_in secrets).
// False for versions without a known salt or on a library error.
bool derive_initial_keys(std::uint32_t version, std::span<const std::uint8_t> dcid,
                         InitialKeys& out);

// RFC 9000 Appendix A.3: the full packet number from its truncated encoding,
// given the next packet number expected (largest received + 1).
std::uint64_t decode_packet_number(std::uint64_t expected, std::uint64_t truncated,
                                   std::size_t pn_bytes);

struct OpenedPacket {
    std::uint64_t packet_number = 0;
    std::span<const std::uint8_t> header;   // unprotected header, PN included
    std::span<const std::uint8_t> payload;  // decrypted frames
};

enum class OpenStatus : std::uint8_t {
    ok,
    too_short,    // no room for the header protection sample or the AEAD tag
    no_scratch,   // `scratch` smaller than the packet
    auth_failed,  // wrong keys (not this connection's Initial) or corrupted
};

// Opens one long-header packet (`packet` is exactly header.packet_size bytes,
// `pn_offset` from its parsed header). Header and plaintext are written to
// `scratch` (at least packet.size() bytes); `out` points into it.
OpenStatus open_long_packet(PacketProtection& keys, std::span<const std::uint8_t> packet,
                            std::size_t pn_offset, std::uint64_t expected_pn,
                            std::span<std::uint8_t> scratch, OpenedPacket& out);

// Protects a long-header packet in place: `packet` holds the unprotected
// header (PN length in the low two bits of the first byte, the Length field
// already counting the tag), then the plaintext, then 16 bytes of room for
// the tag. Used to build test packets and generated captures.
bool protect_long_packet(PacketProtection& keys, std::span<std::uint8_t> packet,
                         std::size_t pn_offset, std::uint64_t packet_number);

}  // namespace sockeye::dpi::quic
