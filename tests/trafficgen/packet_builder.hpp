// Builds protocol headers byte by byte (big-endian appends, never structs
// cast onto memory) with correct IPv4, TCP, UDP, ICMP, ICMPv6 and IGMP
// checksums, plus the link-layer encapsulations the scenarios use.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "capture_writer.hpp"

namespace sockeye::trafficgen {

using Bytes = std::vector<std::uint8_t>;
using Mac = std::array<std::uint8_t, 6>;

struct Addr {
    std::array<std::uint8_t, 16> bytes{};
    bool v6 = false;

    [[nodiscard]] std::span<const std::uint8_t> view() const {
        return std::span<const std::uint8_t>(bytes).first(v6 ? 16U : 4U);
    }
};

Addr ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
Addr ipv6(const std::array<std::uint16_t, 8>& groups);
// Solicited-node multicast address (ff02::1:ffXX:XXXX) for neighbour solicitations.
Addr solicited_node(const Addr& target);

constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoIgmp = 2;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kProtoIpv6Frag = 44;
constexpr std::uint8_t kProtoIcmpv6 = 58;

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherArp = 0x0806;
constexpr std::uint16_t kEtherIpv6 = 0x86DD;
constexpr std::uint16_t kEtherVlan = 0x8100;
constexpr std::uint16_t kEtherQinQ = 0x88A8;

// TCP flag bits.
constexpr std::uint8_t kFin = 0x01;
constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kRst = 0x04;
constexpr std::uint8_t kPsh = 0x08;
constexpr std::uint8_t kAck = 0x10;

void put_u8(Bytes& out, std::uint8_t v);
void put_u16(Bytes& out, std::uint16_t v);
void put_u32(Bytes& out, std::uint32_t v);
void put_bytes(Bytes& out, std::span<const std::uint8_t> bytes);
void set_u16(Bytes& out, std::size_t at, std::uint16_t v);

// RFC 1071 one's-complement sum folded to 16 bits, complemented.
std::uint16_t internet_checksum(std::span<const std::uint8_t> data, std::uint32_t initial = 0);

struct TcpFields {
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 64240;
    Bytes options;                     // already padded to a multiple of 4
    std::uint32_t payload_len = 0;     // filled with `fill`
    std::uint8_t fill = 0x61;
    std::uint8_t data_offset_words = 0;  // 0: computed; otherwise forced (malformed)
};

// MSS, SACK-permitted, timestamps, NOP, window scale: what Linux puts on a SYN.
Bytes syn_options(std::uint16_t mss, std::uint8_t wscale, std::uint32_t tsval, std::uint32_t tsecr);

Bytes tcp_segment(const Addr& src, const Addr& dst, const TcpFields& f);
// `length_override` != 0 writes a lying UDP length field (checksum still
// covers the real bytes).
Bytes udp_datagram(const Addr& src, const Addr& dst, std::uint16_t sport, std::uint16_t dport,
                   std::span<const std::uint8_t> payload, std::uint16_t length_override = 0);
Bytes icmp_echo(bool reply, std::uint16_t id, std::uint16_t seq, std::uint32_t payload_len);
Bytes icmpv6_message(const Addr& src, const Addr& dst, std::uint8_t type, std::uint8_t code,
                     std::span<const std::uint8_t> body);
Bytes igmp_v2(std::uint8_t type, const Addr& group);
Bytes arp_packet(bool reply, const Mac& sender_mac, const Addr& sender_ip, const Mac& target_mac,
                 const Addr& target_ip);

struct Ipv4Fields {
    std::uint8_t protocol = kProtoTcp;
    std::uint16_t id = 0;
    std::uint8_t ttl = 64;
    std::uint16_t fragment_offset = 0;  // in bytes, multiple of 8
    bool more_fragments = false;
    bool dont_fragment = true;
    // Malformed variants: 0 means "correct value".
    std::uint8_t version = 0;
    std::uint8_t ihl_words = 0;
    std::uint16_t total_length = 0;
};

Bytes ipv4_packet(const Addr& src, const Addr& dst, const Ipv4Fields& f, std::span<const std::uint8_t> payload);
Bytes ipv6_packet(const Addr& src, const Addr& dst, std::uint8_t next_header,
                  std::span<const std::uint8_t> payload, std::uint8_t hop_limit = 64);
// IPv6 header + fragment extension header carrying `piece`.
Bytes ipv6_fragment(const Addr& src, const Addr& dst, std::uint8_t next_header, std::uint32_t id,
                    std::uint16_t offset, bool more, std::span<const std::uint8_t> piece);

// IPv4 or IPv6 (by address family) around a transport payload.
Bytes ip_wrap(const Addr& src, const Addr& dst, std::uint8_t protocol, std::span<const std::uint8_t> l4,
              std::uint16_t ip_id = 0);

struct VlanTag {
    std::uint16_t tpid = kEtherVlan;
    std::uint16_t vid = 0;
};

// Where a frame goes on the link: MACs for Ethernet, direction for SLL.
struct LinkContext {
    LinkType link = LinkType::ethernet;
    Mac mac_a{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    Mac mac_b{0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
    std::array<VlanTag, 2> tags{};
    std::uint8_t tag_count = 0;
    std::uint32_t ifindex = 2;
};

// Wraps a network-layer payload for ctx.link. `from_a` picks the MAC order
// (and for SLL the outgoing/incoming packet type).
Bytes encapsulate(const LinkContext& ctx, std::uint16_t ethertype, std::span<const std::uint8_t> payload,
                  bool from_a);

}  // namespace sockeye::trafficgen
