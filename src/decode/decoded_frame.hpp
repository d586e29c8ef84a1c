// What decode learns about one frame. Filled in place by decode::Decoder
// (no allocation); spans point into the frame and live only as long as it.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/ip_address.hpp"
#include "decode/wire_numbers.hpp"  // tcp_flag::k*, which TcpInfo::flags holds

namespace sockeye::decode {

// Anomalies are counted per kind (Zeek "weirds"), never logged per packet.
// Keep anomaly_name() in anomaly.cpp in step with this list.
enum class Anomaly : std::uint8_t {
    snaplen_truncated,       // caplen < wire length (not an error, but decode may stop early)
    unsupported_link_type,
    truncated_link,          // Ethernet / SLL / SLL2 / NULL header cut short
    truncated_vlan,
    too_many_vlan_tags,
    truncated_arp,
    truncated_ipv4,
    bad_ipv4_version,
    bad_ipv4_header_length,
    bad_ipv4_total_length,
    bad_ipv4_options,
    truncated_ipv6,
    bad_ipv6_version,
    truncated_ipv6_extension,
    too_many_ipv6_extensions,
    truncated_tcp,
    bad_tcp_header_length,
    bad_tcp_option,
    truncated_udp,
    bad_udp_length,          // UDP length field below the 8-byte header: the header is bogus
    udp_length_exceeds_ip,   // UDP length field larger than the IP payload (not a fragment)
    truncated_icmp,
    truncated_icmpv6,
    truncated_igmp,
    truncated_pppoe,
    count_  // sentinel, not an anomaly
};

inline constexpr std::size_t kAnomalyKinds = static_cast<std::size_t>(Anomaly::count_);
static_assert(kAnomalyKinds <= 32, "anomalies are a 32-bit mask");

// Stable snake_case name used in JSON output ("truncated_tcp").
std::string_view anomaly_name(Anomaly a);

enum class Network : std::uint8_t { none, ipv4, ipv6, arp, other };
enum class Transport : std::uint8_t { none, tcp, udp, icmp, icmpv6, igmp, other };

struct TcpInfo {
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint16_t window = 0;        // raw, unscaled
    std::uint8_t flags = 0;          // tcp_flag bits
    std::uint8_t header_len = 0;     // bytes, options included
    std::uint16_t mss = 0;           // 0 = option absent
    std::uint8_t window_scale = 0xFF;  // 0xFF = option absent
    bool sack_permitted = false;
    std::uint8_t sack_blocks = 0;    // number of SACK blocks in this segment
    bool has_timestamps = false;
    std::uint32_t ts_val = 0;
    std::uint32_t ts_ecr = 0;
};

struct IcmpInfo {
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    bool is_echo = false;       // echo request or reply (ICMP 8/0, ICMPv6 128/129)
    bool is_echo_reply = false;
    std::uint16_t echo_id = 0;
    std::uint16_t echo_seq = 0;
    // NDP (ICMPv6 133..137): the target address of NS/NA, else family none.
    core::IpAddress ndp_target{};
};

struct ArpInfo {
    std::uint16_t op = 0;  // 1 request, 2 reply
    std::array<std::uint8_t, 6> sender_mac{};
    std::array<std::uint8_t, 6> target_mac{};
    core::IpAddress sender_ip{};
    core::IpAddress target_ip{};
};

struct IgmpInfo {
    std::uint8_t type = 0;
    core::IpAddress group{};
};

struct DecodedFrame {
    // Capture metadata
    std::int64_t ts_ns = 0;
    std::uint32_t wire_len = 0;  // bytes on the wire: what flows count
    std::uint32_t cap_len = 0;

    // Link
    bool has_mac = false;
    std::array<std::uint8_t, 6> src_mac{};
    std::array<std::uint8_t, 6> dst_mac{};
    std::uint8_t vlan_depth = 0;     // tags seen (802.1Q / 802.1ad)
    std::uint16_t vlan_outer = 0;    // 12-bit VLAN id of the outermost tag
    std::uint16_t vlan_inner = 0;    // of the innermost tag when QinQ
    std::uint16_t ethertype = 0;     // the one that selected the network layer

    // Network
    Network network = Network::none;
    core::IpAddress src_ip{};
    core::IpAddress dst_ip{};
    std::uint8_t ip_proto = 0;       // final upper-layer protocol (after IPv6 extensions)
    std::uint8_t ttl = 0;            // TTL / hop limit
    bool is_fragment = false;        // any IPv4/IPv6 fragment
    bool is_first_fragment = false;  // offset 0 with more-fragments set: carries the L4 header
    std::uint16_t fragment_offset = 0;  // bytes
    std::uint32_t fragment_id = 0;

    // Transport
    Transport transport = Transport::none;
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    TcpInfo tcp{};
    IcmpInfo icmp{};
    ArpInfo arp{};
    IgmpInfo igmp{};

    // Application payload after the transport header, as captured (may be
    // shorter than payload_len when the snaplen cut it).
    std::span<const std::uint8_t> payload{};
    std::uint32_t payload_len = 0;   // per the IP/UDP length fields

    std::uint32_t anomalies = 0;     // bit (1u << Anomaly) per kind seen

    void flag(Anomaly a) { anomalies |= 1u << static_cast<unsigned>(a); }
    [[nodiscard]] bool has(Anomaly a) const {
        return (anomalies >> static_cast<unsigned>(a)) & 1u;
    }
};

}  // namespace sockeye::decode
