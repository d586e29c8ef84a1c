// The link-layer address each peer on the capture's own network speaks
// from, learned from the frames themselves: a capture file brings no
// neighbour table, yet its Ethernet headers name the sender of every frame.
//
// Only peers on a directly attached network get a MAC. Two rules keep the
// addresses behind a router from being labelled with the router's maker:
//  - the hop count: a frame learns its IP source's MAC only when it arrives
//    with an initial TTL / hop limit (64, 128 or 255, what operating systems
//    and network gear start with); a routed frame has had it decremented;
//  - the gateway rule: a MAC seen as the Ethernet source of more than
//    kGatewayIpv4Sources different IPv4 source addresses, or of more than
//    kGatewayIpv6Prefixes different IPv6 /64 prefixes, forwards for others:
//    none of the addresses it carries get a MAC, its own included (which of
//    them is its own cannot be told apart). A host with a few addresses
//    (IPv4 + an alias, IPv6 link-local + global + ULA) stays below both.
// An address heard from two different MACs with an initial hop count (a
// capture taken on a router's two sides, an address that moved) is
// ambiguous and gets none either.
//
// Bounded: past kMaxAddresses addresses or kMaxMacs MACs nothing new is
// learned (a MAC not tracked gives its addresses nothing). The few gateways
// met last are checked first (their frames, most of a capture, teach
// nothing more), then a small direct-mapped memo of the last (MAC, address,
// hop count) per slot: the frames of known peers cost a hash and a compare.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/ip_address.hpp"
#include "core/tuple_hash.hpp"
#include "decode/decoded_frame.hpp"

namespace sockeye::pipeline {

using MacAddress = std::array<std::uint8_t, 6>;

class LinkAddressBook {
public:
    static constexpr std::size_t kGatewayIpv4Sources = 2;
    static constexpr std::size_t kGatewayIpv6Prefixes = 3;
    static constexpr std::size_t kMaxAddresses = 65536;
    static constexpr std::size_t kMaxMacs = 16384;

    // Every frame: inline up to the check of the gateways met last.
    void observe(const decode::DecodedFrame& frame) {
        if (!frame.has_mac) return;
        if (frame.network != decode::Network::ipv4 && frame.network != decode::Network::ipv6) return;
        const std::uint64_t mac = mac_key(frame.src_mac.data());
        // Most frames of a capture are a gateway's (everything from
        // outside): they teach nothing more.
        for (const std::uint64_t gateway : recent_gateways_)
            if (gateway == mac) return;
        observe_sender(frame, mac);
    }
    // The MAC `ip` speaks from when it is a local-network peer; nullopt when
    // unknown, ambiguous or behind a gateway.
    [[nodiscard]] std::optional<MacAddress> mac_of(const core::IpAddress& ip) const;
    // Whether `mac` has been judged a gateway (for tests and diagnostics).
    [[nodiscard]] bool is_gateway(const MacAddress& mac) const;
    [[nodiscard]] std::size_t addresses() const { return addresses_.size(); }
    [[nodiscard]] std::size_t macs() const { return macs_.size(); }

private:
    struct Address {
        std::uint64_t mac = 0;  // 48 bits, from the first frame with an initial hop count
        bool ambiguous = false;
    };
    struct Sender {
        bool gateway = false;
        std::uint8_t ipv4_count = 0;
        std::uint8_t ipv6_count = 0;
        // The distinct sources seen so far, up to the gateway threshold.
        std::array<std::uint32_t, kGatewayIpv4Sources> ipv4{};
        std::array<std::uint64_t, kGatewayIpv6Prefixes> ipv6_prefixes{};
    };
    struct Memo {
        std::uint64_t lo = 0;  // the address's bytes 0-7 and 8-15
        std::uint64_t hi = 0;
        std::uint64_t tag = 0;  // the MAC key, the hop count's kind and the family; 0: empty
    };
    static constexpr unsigned kMemoBits = 10;
    static constexpr std::size_t kMemoSlots = std::size_t{1} << kMemoBits;

    // The six bytes of a MAC as a number below 2^48 (in memory order: a
    // key, not a value).
    static std::uint64_t mac_key(const std::uint8_t* mac) {
        std::uint64_t key = 0;
        std::memcpy(&key, mac, 6);
        if constexpr (std::endian::native == std::endian::big) key >>= 16U;
        return key;
    }
    void observe_sender(const decode::DecodedFrame& frame, std::uint64_t mac);
    void learn(const core::IpAddress& ip, std::uint64_t mac, bool initial_hops);
    static void count_source(Sender& sender, const core::IpAddress& ip);
    void remember_gateway(std::uint64_t mac);

    std::unordered_map<core::IpAddress, Address, core::IpAddressHash> addresses_;
    std::unordered_map<std::uint64_t, Sender> macs_;
    std::vector<Memo> memo_;  // allocated with the first frame that teaches anything
    // The gateways met last (0: none), checked before anything else.
    std::array<std::uint64_t, 4> recent_gateways_{};
    std::size_t next_gateway_ = 0;
};

}  // namespace sockeye::pipeline
