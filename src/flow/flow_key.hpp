// The identity of a bidirectional flow: a fixed-size, trivially copyable key
// that both directions of a conversation map to, plus its 64-bit hash.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "decode/decoded_frame.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::flow {

// Endpoint "a" is the lower (address, port) pair, "b" the higher one, so a
// frame and its reply produce the same bytes. Every byte is meaningful or
// explicitly zeroed, so defaulted == and the word-wise hash agree.
struct FlowKey {
    std::array<std::uint8_t, 16> addr_a{};  // IPv4 uses the first 4 bytes
    std::array<std::uint8_t, 16> addr_b{};
    std::uint16_t port_a = 0;  // ICMP echo: the identifier on both sides
    std::uint16_t port_b = 0;
    std::uint16_t vlan = 0;    // outermost VLAN id, 0 when untagged
    std::uint8_t ip_proto = 0;
    std::uint8_t family = 0;   // core::IpFamily value
    snapshot::FlowProtocol protocol = snapshot::FlowProtocol::other;
    std::array<std::uint8_t, 7> pad_{};  // keeps the struct free of indeterminate padding

    // Six words compared inline: the defaulted == calls memcmp once per
    // array member, on every packet's table lookup.
    friend bool operator==(const FlowKey& x, const FlowKey& y) {
        std::uint64_t a[6];
        std::uint64_t b[6];
        std::memcpy(a, &x, sizeof a);
        std::memcpy(b, &y, sizeof b);
        return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) | (a[4] ^ b[4]) |
                (a[5] ^ b[5])) == 0;
    }
};

static_assert(std::is_trivially_copyable_v<FlowKey>);
static_assert(sizeof(FlowKey) == 48, "FlowKey is hashed as six 64-bit words");

// Which canonical endpoint a frame came from.
enum class Side : std::uint8_t { a = 0, b = 1 };

constexpr Side other_side(Side s) { return s == Side::a ? Side::b : Side::a; }
constexpr unsigned side_index(Side s) { return static_cast<unsigned>(s); }

struct KeyedFrame {
    FlowKey key{};
    Side sender = Side::a;  // a: the frame travels a -> b (canonical order)
};

// Builds the key of `frame`. Returns false when the frame belongs to no flow:
// non-IP/non-ARP frames and IP fragments that do not carry the L4 header.
bool make_flow_key(const decode::DecodedFrame& frame, KeyedFrame& out);

namespace hash_detail {
inline constexpr std::uint64_t kMulA = 0x9E3779B97F4A7C15ULL;  // 2^64 / golden ratio, odd
inline constexpr std::uint64_t kMulB = 0xC2B2AE3D27D4EB4FULL;
inline constexpr std::uint64_t kFinalA = 0xFF51AFD7ED558CCDULL;  // MurmurHash3 fmix64 constants
inline constexpr std::uint64_t kFinalB = 0xC4CEB9FE1A85EC53ULL;

constexpr std::uint64_t rotl(std::uint64_t x, unsigned r) { return (x << r) | (x >> (64U - r)); }

constexpr std::uint64_t final_mix(std::uint64_t h) {
    h ^= h >> 33U;
    h *= kFinalA;
    h ^= h >> 33U;
    h *= kFinalB;
    h ^= h >> 33U;
    return h;
}

}  // namespace hash_detail

// A 64-bit hash with full avalanche over all 48 key bytes. Inline: the
// table hashes every frame's key.
inline std::uint64_t hash_key(const FlowKey& key) {
    std::array<std::uint64_t, sizeof(FlowKey) / 8> words{};
    std::memcpy(words.data(), &key, sizeof(FlowKey));
    // Each word is first multiplied by an odd constant (a bijection, so no
    // word can cancel another), then folded into a rotating accumulator; the
    // finaliser spreads every input bit over all 64 output bits, which the
    // index needs because it uses the low bits for the slot and the high
    // bits as a tag.
    std::uint64_t h = hash_detail::kMulB ^ sizeof(FlowKey);
    for (const std::uint64_t w : words) {
        h = hash_detail::rotl(h ^ (w * hash_detail::kMulA), 29U) * hash_detail::kMulB;
    }
    return hash_detail::final_mix(h);
}

// Recovers an endpoint address from the key's bytes and family.
core::IpAddress key_address(const FlowKey& key, Side side);
std::uint16_t key_port(const FlowKey& key, Side side);

}  // namespace sockeye::flow
