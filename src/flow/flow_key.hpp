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

// A 64-bit hash with full avalanche over all 48 key bytes.
std::uint64_t hash_key(const FlowKey& key);

// Recovers an endpoint address from the key's bytes and family.
core::IpAddress key_address(const FlowKey& key, Side side);
std::uint16_t key_port(const FlowKey& key, Side side);

}  // namespace sockeye::flow
