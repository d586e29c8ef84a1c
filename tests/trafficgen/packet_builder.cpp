#include "packet_builder.hpp"

namespace sockeye::trafficgen {

namespace {

constexpr std::size_t kEthernetMinFrame = 60;  // without FCS
constexpr std::uint16_t kArphrdEther = 1;
constexpr std::uint16_t kSllHost = 0;
constexpr std::uint16_t kSllOutgoing = 4;
constexpr std::uint32_t kAfInet = 2;
// BSD AF_INET6 (what DLT_NULL/DLT_LOOP captures from BSDs carry; Wireshark
// accepts 24, 28 and 30).
constexpr std::uint32_t kAfInet6Bsd = 24;

std::uint32_t sum_words(std::span<const std::uint8_t> data, std::uint32_t sum) {
    std::size_t i = 0;
    for (; i + 1 < data.size(); i += 2) {
        sum += static_cast<std::uint32_t>(data[i] << 8U | data[i + 1]);
    }
    if (i < data.size()) {
        sum += static_cast<std::uint32_t>(data[i] << 8U);
    }
    return sum;
}

// Sum of the TCP/UDP/ICMPv6 pseudo header (RFC 793 / RFC 8200 section 8.1).
std::uint32_t pseudo_header_sum(const Addr& src, const Addr& dst, std::uint8_t protocol, std::uint32_t length) {
    std::uint32_t sum = sum_words(src.view(), 0);
    sum = sum_words(dst.view(), sum);
    sum += protocol;
    sum += length >> 16U;
    sum += length & 0xFFFFU;
    return sum;
}

void put_mac(Bytes& out, const Mac& mac) { put_bytes(out, mac); }

}  // namespace

Addr ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    Addr addr;
    addr.bytes[0] = a;
    addr.bytes[1] = b;
    addr.bytes[2] = c;
    addr.bytes[3] = d;
    return addr;
}

Addr ipv6(const std::array<std::uint16_t, 8>& groups) {
    Addr addr;
    addr.v6 = true;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        addr.bytes[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8U);
        addr.bytes[2 * i + 1] = static_cast<std::uint8_t>(groups[i]);
    }
    return addr;
}

Addr solicited_node(const Addr& target) {
    Addr addr = ipv6({0xff02, 0, 0, 0, 0, 1, 0xff00, 0});
    addr.bytes[13] = target.bytes[13];
    addr.bytes[14] = target.bytes[14];
    addr.bytes[15] = target.bytes[15];
    return addr;
}

void put_u8(Bytes& out, std::uint8_t v) { out.push_back(v); }

void put_u16(Bytes& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8U));
    out.push_back(static_cast<std::uint8_t>(v));
}

void put_u32(Bytes& out, std::uint32_t v) {
    put_u16(out, static_cast<std::uint16_t>(v >> 16U));
    put_u16(out, static_cast<std::uint16_t>(v));
}

void put_bytes(Bytes& out, std::span<const std::uint8_t> bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

void set_u16(Bytes& out, std::size_t at, std::uint16_t v) {
    out[at] = static_cast<std::uint8_t>(v >> 8U);
    out[at + 1] = static_cast<std::uint8_t>(v);
}

std::uint16_t internet_checksum(std::span<const std::uint8_t> data, std::uint32_t initial) {
    std::uint32_t sum = sum_words(data, initial);
    while ((sum >> 16U) != 0) {
        sum = (sum & 0xFFFFU) + (sum >> 16U);
    }
    return static_cast<std::uint16_t>(~sum);
}

Bytes syn_options(std::uint16_t mss, std::uint8_t wscale, std::uint32_t tsval, std::uint32_t tsecr) {
    Bytes o;
    put_u8(o, 2);  // MSS
    put_u8(o, 4);
    put_u16(o, mss);
    put_u8(o, 4);  // SACK permitted
    put_u8(o, 2);
    put_u8(o, 8);  // timestamps
    put_u8(o, 10);
    put_u32(o, tsval);
    put_u32(o, tsecr);
    put_u8(o, 1);  // NOP
    put_u8(o, 3);  // window scale
    put_u8(o, 3);
    put_u8(o, wscale);
    return o;  // 20 bytes
}

Bytes tcp_segment(const Addr& src, const Addr& dst, const TcpFields& f) {
    Bytes seg;
    seg.reserve(20 + f.options.size() + f.payload_len);
    const auto header_words = static_cast<std::uint8_t>((20 + f.options.size()) / 4);
    put_u16(seg, f.source_port);
    put_u16(seg, f.destination_port);
    put_u32(seg, f.seq);
    put_u32(seg, f.ack);
    const std::uint8_t offset = f.data_offset_words != 0 ? f.data_offset_words : header_words;
    put_u8(seg, static_cast<std::uint8_t>(offset << 4U));
    put_u8(seg, f.flags);
    put_u16(seg, f.window);
    put_u16(seg, 0);  // checksum, below
    put_u16(seg, 0);  // urgent pointer
    put_bytes(seg, f.options);
    seg.resize(seg.size() + f.payload_len, f.fill);
    const std::uint32_t pseudo = pseudo_header_sum(src, dst, kProtoTcp, static_cast<std::uint32_t>(seg.size()));
    set_u16(seg, 16, internet_checksum(seg, pseudo));
    return seg;
}

Bytes udp_datagram(const Addr& src, const Addr& dst, std::uint16_t sport, std::uint16_t dport,
                   std::span<const std::uint8_t> payload, std::uint16_t length_override) {
    Bytes d;
    d.reserve(8 + payload.size());
    const auto length = static_cast<std::uint16_t>(8 + payload.size());
    put_u16(d, sport);
    put_u16(d, dport);
    put_u16(d, length_override != 0 ? length_override : length);
    put_u16(d, 0);
    put_bytes(d, payload);
    std::uint16_t sum = internet_checksum(d, pseudo_header_sum(src, dst, kProtoUdp, length));
    if (sum == 0) {
        sum = 0xFFFF;  // 0 means "no checksum" in UDP
    }
    set_u16(d, 6, sum);
    return d;
}

Bytes icmp_echo(bool reply, std::uint16_t id, std::uint16_t seq, std::uint32_t payload_len) {
    Bytes m;
    put_u8(m, reply ? 0 : 8);
    put_u8(m, 0);
    put_u16(m, 0);
    put_u16(m, id);
    put_u16(m, seq);
    for (std::uint32_t i = 0; i < payload_len; ++i) {
        put_u8(m, static_cast<std::uint8_t>(0x10 + i % 0x30));
    }
    set_u16(m, 2, internet_checksum(m));
    return m;
}

Bytes icmpv6_message(const Addr& src, const Addr& dst, std::uint8_t type, std::uint8_t code,
                     std::span<const std::uint8_t> body) {
    Bytes m;
    put_u8(m, type);
    put_u8(m, code);
    put_u16(m, 0);
    put_bytes(m, body);
    const std::uint32_t pseudo = pseudo_header_sum(src, dst, kProtoIcmpv6, static_cast<std::uint32_t>(m.size()));
    set_u16(m, 2, internet_checksum(m, pseudo));
    return m;
}

Bytes igmp_v2(std::uint8_t type, const Addr& group) {
    Bytes m;
    put_u8(m, type);
    put_u8(m, 100);  // max response time (tenths of a second)
    put_u16(m, 0);
    put_bytes(m, group.view());
    set_u16(m, 2, internet_checksum(m));
    return m;
}

Bytes arp_packet(bool reply, const Mac& sender_mac, const Addr& sender_ip, const Mac& target_mac,
                 const Addr& target_ip) {
    Bytes a;
    put_u16(a, kArphrdEther);
    put_u16(a, kEtherIpv4);
    put_u8(a, 6);
    put_u8(a, 4);
    put_u16(a, reply ? 2 : 1);
    put_mac(a, sender_mac);
    put_bytes(a, sender_ip.view());
    put_mac(a, target_mac);
    put_bytes(a, target_ip.view());
    return a;
}

Bytes ipv4_packet(const Addr& src, const Addr& dst, const Ipv4Fields& f, std::span<const std::uint8_t> payload) {
    Bytes p;
    p.reserve(20 + payload.size());
    const std::uint8_t version = f.version != 0 ? f.version : 4;
    const std::uint8_t ihl = f.ihl_words != 0 ? f.ihl_words : 5;
    put_u8(p, static_cast<std::uint8_t>((static_cast<unsigned>(version) << 4U) | (ihl & 0x0FU)));
    put_u8(p, 0);
    put_u16(p, f.total_length != 0 ? f.total_length : static_cast<std::uint16_t>(20 + payload.size()));
    put_u16(p, f.id);
    std::uint16_t frag = static_cast<std::uint16_t>(f.fragment_offset / 8U);
    if (f.more_fragments) {
        frag |= 0x2000U;
    }
    if (f.dont_fragment && !f.more_fragments && f.fragment_offset == 0) {
        frag |= 0x4000U;
    }
    put_u16(p, frag);
    put_u8(p, f.ttl);
    put_u8(p, f.protocol);
    put_u16(p, 0);
    put_bytes(p, src.view());
    put_bytes(p, dst.view());
    set_u16(p, 10, internet_checksum(std::span<const std::uint8_t>(p).first(20)));
    put_bytes(p, payload);
    return p;
}

Bytes ipv6_packet(const Addr& src, const Addr& dst, std::uint8_t next_header, std::span<const std::uint8_t> payload,
                  std::uint8_t hop_limit) {
    Bytes p;
    p.reserve(40 + payload.size());
    put_u32(p, 0x60000000);
    put_u16(p, static_cast<std::uint16_t>(payload.size()));
    put_u8(p, next_header);
    put_u8(p, hop_limit);
    put_bytes(p, src.view());
    put_bytes(p, dst.view());
    put_bytes(p, payload);
    return p;
}

Bytes ipv6_fragment(const Addr& src, const Addr& dst, std::uint8_t next_header, std::uint32_t id,
                    std::uint16_t offset, bool more, std::span<const std::uint8_t> piece) {
    Bytes ext;
    put_u8(ext, next_header);
    put_u8(ext, 0);
    put_u16(ext, static_cast<std::uint16_t>((offset & 0xFFF8U) | (more ? 1U : 0U)));
    put_u32(ext, id);
    put_bytes(ext, piece);
    return ipv6_packet(src, dst, kProtoIpv6Frag, ext);
}

Bytes ip_wrap(const Addr& src, const Addr& dst, std::uint8_t protocol, std::span<const std::uint8_t> l4,
              std::uint16_t ip_id) {
    if (src.v6) {
        return ipv6_packet(src, dst, protocol, l4, protocol == kProtoIcmpv6 ? 255 : 64);
    }
    Ipv4Fields f;
    f.protocol = protocol;
    f.id = ip_id;
    return ipv4_packet(src, dst, f, l4);
}

Bytes encapsulate(const LinkContext& ctx, std::uint16_t ethertype, std::span<const std::uint8_t> payload,
                  bool from_a) {
    Bytes f;
    f.reserve(payload.size() + 24);
    const Mac& src = from_a ? ctx.mac_a : ctx.mac_b;
    const Mac& dst = from_a ? ctx.mac_b : ctx.mac_a;
    const std::uint32_t af = ethertype == kEtherIpv6 ? kAfInet6Bsd : kAfInet;
    switch (ctx.link) {
    case LinkType::ethernet:
        put_mac(f, dst);
        put_mac(f, src);
        for (std::size_t i = 0; i < ctx.tag_count; ++i) {
            put_u16(f, ctx.tags[i].tpid);
            put_u16(f, ctx.tags[i].vid);
        }
        put_u16(f, ethertype);
        put_bytes(f, payload);
        // Short frames arrive padded to the Ethernet minimum; the padding
        // counts as frame bytes but not as IP bytes.
        if (f.size() < kEthernetMinFrame) {
            f.resize(kEthernetMinFrame, 0);
        }
        break;
    case LinkType::linux_sll:
        put_u16(f, from_a ? kSllOutgoing : kSllHost);
        put_u16(f, kArphrdEther);
        put_u16(f, 6);
        put_mac(f, src);
        put_u16(f, 0);
        put_u16(f, ethertype);
        put_bytes(f, payload);
        break;
    case LinkType::linux_sll2:
        put_u16(f, ethertype);
        put_u16(f, 0);
        put_u32(f, ctx.ifindex);
        put_u16(f, kArphrdEther);
        put_u8(f, static_cast<std::uint8_t>(from_a ? kSllOutgoing : kSllHost));
        put_u8(f, 6);
        put_mac(f, src);
        put_u16(f, 0);
        put_bytes(f, payload);
        break;
    case LinkType::null_bsd:
        // DLT_NULL stores the family in the capturing host's byte order; our
        // files are little-endian, so that is what a reader expects.
        put_u8(f, static_cast<std::uint8_t>(af));
        put_u8(f, 0);
        put_u8(f, 0);
        put_u8(f, 0);
        put_bytes(f, payload);
        break;
    case LinkType::loop:
        put_u32(f, af);  // DLT_LOOP: always network byte order
        put_bytes(f, payload);
        break;
    case LinkType::raw:
        put_bytes(f, payload);
        break;
    }
    return f;
}

}  // namespace sockeye::trafficgen
