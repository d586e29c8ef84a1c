#include "dpi/protocols/quic_initial.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "dpi/crypto/hkdf.hpp"

namespace sockeye::dpi::quic {
namespace {

// RFC 9001 §5.2 (v1; drafts 33 and 34 already used it).
constexpr std::array<std::uint8_t, 20> kSaltV1 = {
    0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
    0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
// RFC 9369 §3.3.1.
constexpr std::array<std::uint8_t, 20> kSaltV2 = {
    0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
    0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9};
// draft-ietf-quic-tls-29 §5.2 (drafts 29 to 32).
constexpr std::array<std::uint8_t, 20> kSaltDraft29 = {
    0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
    0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99};
// draft-ietf-quic-tls-23 §5.2 (drafts 23 to 28).
constexpr std::array<std::uint8_t, 20> kSaltDraft23 = {
    0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
    0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02};

constexpr std::uint8_t kLongPnLengthMask = 0x03;
constexpr std::uint8_t kLongHpBitsMask = 0x0f;  // reserved bits + PN length

struct Labels {
    std::string_view key;
    std::string_view iv;
    std::string_view hp;
};

Labels labels_for(std::uint32_t version) {
    if (version == kVersion2) return {"quicv2 key", "quicv2 iv", "quicv2 hp"};
    return {"quic key", "quic iv", "quic hp"};
}

}  // namespace

std::span<const std::uint8_t> initial_salt(std::uint32_t version) {
    if (version == kVersion1) return kSaltV1;
    if (version == kVersion2) return kSaltV2;
    if (is_draft_version(version)) {
        const std::uint32_t draft = version & 0xffu;
        if (draft >= 33 && draft <= 34) return kSaltV1;
        if (draft >= 29 && draft <= 32) return kSaltDraft29;
        if (draft >= 23 && draft <= 28) return kSaltDraft23;
    }
    return {};
}

bool PacketProtection::derive(std::uint32_t version, std::span<const std::uint8_t> secret) {
    const Labels labels = labels_for(version);
    return crypto::hkdf_expand_label_sha256(secret, labels.key, key_) &&
           crypto::hkdf_expand_label_sha256(secret, labels.iv, iv_) &&
           crypto::hkdf_expand_label_sha256(secret, labels.hp, hp_) &&
           aead_.set_key(key_) && hp_cipher_.set_key(hp_);
}

bool PacketProtection::mask(std::span<const std::uint8_t, kHpSampleBytes> sample,
                            std::array<std::uint8_t, crypto::kAesBlockBytes>& out) {
    return hp_cipher_.encrypt_block(sample, out);
}

std::array<std::uint8_t, crypto::kGcmNonceBytes> PacketProtection::nonce(
    std::uint64_t packet_number) const {
    auto n = iv_;
    for (std::size_t i = 0; i < 8; ++i)
        n[n.size() - 1 - i] ^= static_cast<std::uint8_t>(packet_number >> (8 * i));
    return n;
}

bool derive_initial_keys(std::uint32_t version, std::span<const std::uint8_t> dcid,
                         InitialKeys& out) {
    const auto salt = initial_salt(version);
    if (salt.empty() || !out.dcid.assign(dcid)) return false;
    std::array<std::uint8_t, crypto::kSha256Bytes> initial_secret{};
    std::array<std::uint8_t, crypto::kSha256Bytes> client_secret{};
    std::array<std::uint8_t, crypto::kSha256Bytes> server_secret{};
    // The v2 labels change only key/iv/hp; "client in"/"server in" stay.
    return crypto::hkdf_extract_sha256(salt, dcid, initial_secret) &&
           crypto::hkdf_expand_label_sha256(initial_secret, "client in", client_secret) &&
           crypto::hkdf_expand_label_sha256(initial_secret, "server in", server_secret) &&
           out.client.derive(version, client_secret) && out.server.derive(version, server_secret);
}

std::uint64_t decode_packet_number(std::uint64_t expected, std::uint64_t truncated,
                                   std::size_t pn_bytes) {
    const std::uint64_t win = std::uint64_t{1} << (pn_bytes * 8);
    const std::uint64_t half = win / 2;
    const std::uint64_t mask = win - 1;
    const std::uint64_t candidate = (expected & ~mask) | truncated;
    constexpr std::uint64_t kMaxPn = std::uint64_t{1} << 62;
    // Written without negative intermediates: expected may be below half.
    if (candidate + half <= expected && candidate < kMaxPn - win) return candidate + win;
    if (candidate > expected + half && candidate >= win) return candidate - win;
    return candidate;
}

OpenStatus open_long_packet(PacketProtection& keys, std::span<const std::uint8_t> packet,
                            std::size_t pn_offset, std::uint64_t expected_pn,
                            std::span<std::uint8_t> scratch, OpenedPacket& out) {
    out = OpenedPacket{};
    // The sample starts 4 bytes past the PN start whatever the PN length.
    const std::size_t sample_at = pn_offset + kMaxPacketNumberBytes;
    if (packet.size() < sample_at + kHpSampleBytes) return OpenStatus::too_short;
    if (scratch.size() < packet.size()) return OpenStatus::no_scratch;

    std::array<std::uint8_t, crypto::kAesBlockBytes> mask{};
    if (!keys.mask(packet.subspan(sample_at).first<kHpSampleBytes>(), mask))
        return OpenStatus::auth_failed;
    const auto first = static_cast<std::uint8_t>(packet[0] ^ (mask[0] & kLongHpBitsMask));
    const std::size_t pn_len = (first & kLongPnLengthMask) + 1u;
    const std::size_t header_len = pn_offset + pn_len;
    if (packet.size() < header_len + crypto::kGcmTagBytes) return OpenStatus::too_short;

    std::copy(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(header_len),
              scratch.begin());
    scratch[0] = first;
    std::uint64_t truncated = 0;
    for (std::size_t i = 0; i < pn_len; ++i) {
        scratch[pn_offset + i] = static_cast<std::uint8_t>(packet[pn_offset + i] ^ mask[1 + i]);
        truncated = (truncated << 8) | scratch[pn_offset + i];
    }
    const std::uint64_t pn = decode_packet_number(expected_pn, truncated, pn_len);
    const auto header = std::span<const std::uint8_t>(scratch.first(header_len));
    const auto sealed = packet.subspan(header_len);
    const auto plaintext = scratch.subspan(header_len, sealed.size() - crypto::kGcmTagBytes);
    if (!keys.aead().open(keys.nonce(pn), header, sealed, plaintext))
        return OpenStatus::auth_failed;
    out.packet_number = pn;
    out.header = header;
    out.payload = plaintext;
    return OpenStatus::ok;
}

bool protect_long_packet(PacketProtection& keys, std::span<std::uint8_t> packet,
                         std::size_t pn_offset, std::uint64_t packet_number) {
    const std::size_t pn_len = (packet.empty() ? 0u : (packet[0] & kLongPnLengthMask)) + 1u;
    const std::size_t header_len = pn_offset + pn_len;
    const std::size_t sample_at = pn_offset + kMaxPacketNumberBytes;
    if (packet.size() < header_len + crypto::kGcmTagBytes ||
        packet.size() < sample_at + kHpSampleBytes)
        return false;
    const std::size_t text_len = packet.size() - header_len - crypto::kGcmTagBytes;
    // GCM needs distinct buffers. This is the generator path, never the
    // packet path, so a heap copy is fine.
    const auto text_at = packet.begin() + static_cast<std::ptrdiff_t>(header_len);
    const std::vector<std::uint8_t> text(text_at, text_at + static_cast<std::ptrdiff_t>(text_len));
    if (!keys.aead().seal(keys.nonce(packet_number), packet.first(header_len),
                          text,
                          packet.subspan(header_len)))
        return false;
    std::array<std::uint8_t, crypto::kAesBlockBytes> mask{};
    if (!keys.mask(std::span<const std::uint8_t>(packet).subspan(sample_at).first<kHpSampleBytes>(),
                   mask))
        return false;
    packet[0] = static_cast<std::uint8_t>(packet[0] ^ (mask[0] & kLongHpBitsMask));
    for (std::size_t i = 0; i < pn_len; ++i)
        packet[pn_offset + i] = static_cast<std::uint8_t>(packet[pn_offset + i] ^ mask[1 + i]);
    return true;
}

}  // namespace sockeye::dpi::quic
