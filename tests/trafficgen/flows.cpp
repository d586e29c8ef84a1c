#include "flows.hpp"

namespace sockeye::trafficgen {

namespace {

constexpr std::uint8_t kIcmpv6EchoRequest = 128;
constexpr std::uint8_t kIcmpv6EchoReply = 129;
constexpr Mac kBroadcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

void put_dns_name(Bytes& out, std::string_view name) {
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t dot = name.find('.', start);
        if (dot == std::string_view::npos) {
            dot = name.size();
        }
        put_u8(out, static_cast<std::uint8_t>(dot - start));
        for (std::size_t i = start; i < dot; ++i) {
            put_u8(out, static_cast<std::uint8_t>(name[i]));
        }
        start = dot + 1;
    }
    put_u8(out, 0);
}

void send_l4(Trace& trace, const LinkContext& link, const Addr& src, const Addr& dst, std::uint8_t proto,
             const Bytes& l4, std::int64_t t, bool from_a) {
    const Bytes packet = ip_wrap(src, dst, proto, l4, static_cast<std::uint16_t>(t / kUs));
    trace.add_packet(t, link, ethertype_for(src), packet, from_a);
}

}  // namespace

std::int64_t dns_exchange(Trace& trace, const LinkContext& link, const UdpEnds& ends, std::int64_t t,
                          std::uint16_t query_id, std::string_view name, bool answered) {
    Bytes q;
    put_u16(q, query_id);
    put_u16(q, 0x0100);  // standard query, recursion desired
    put_u16(q, 1);
    put_u16(q, 0);
    put_u16(q, 0);
    put_u16(q, 0);
    put_dns_name(q, name);
    put_u16(q, 1);  // A
    put_u16(q, 1);  // IN
    send_l4(trace, link, ends.client, ends.server, kProtoUdp,
            udp_datagram(ends.client, ends.server, ends.client_port, ends.server_port, q), t, true);
    if (!answered) {
        return t + 5 * kMs;
    }
    Bytes r = q;
    set_u16(r, 2, 0x8180);
    set_u16(r, 6, 1);
    put_u16(r, 0xC00C);  // name: pointer to the question
    put_u16(r, 1);
    put_u16(r, 1);
    put_u32(r, 300);
    put_u16(r, 4);
    put_bytes(r, ipv4(93, 184, 216, static_cast<std::uint8_t>(query_id)).view());
    const std::int64_t reply_at = t + 3 * kMs;
    send_l4(trace, link, ends.server, ends.client, kProtoUdp,
            udp_datagram(ends.server, ends.client, ends.server_port, ends.client_port, r), reply_at, false);
    return reply_at + kMs;
}

void udp_send(Trace& trace, const LinkContext& link, const UdpEnds& ends, std::int64_t t, bool from_client,
              std::uint32_t len) {
    const Bytes payload(len, static_cast<std::uint8_t>(from_client ? 'u' : 'U'));
    const Addr& src = from_client ? ends.client : ends.server;
    const Addr& dst = from_client ? ends.server : ends.client;
    const std::uint16_t sport = from_client ? ends.client_port : ends.server_port;
    const std::uint16_t dport = from_client ? ends.server_port : ends.client_port;
    send_l4(trace, link, src, dst, kProtoUdp, udp_datagram(src, dst, sport, dport, payload), t, from_client);
}

std::int64_t ping(Trace& trace, const LinkContext& link, const Addr& from, const Addr& to, std::uint16_t id,
                  int count, bool answered, std::int64_t t) {
    for (int seq = 1; seq <= count; ++seq) {
        const auto s = static_cast<std::uint16_t>(seq);
        if (from.v6) {
            Bytes body;
            put_u16(body, id);
            put_u16(body, s);
            body.resize(body.size() + 56, 0x42);
            send_l4(trace, link, from, to, kProtoIcmpv6, icmpv6_message(from, to, kIcmpv6EchoRequest, 0, body), t,
                    true);
            if (answered) {
                send_l4(trace, link, to, from, kProtoIcmpv6,
                        icmpv6_message(to, from, kIcmpv6EchoReply, 0, body), t + 2 * kMs, false);
            }
        } else {
            send_l4(trace, link, from, to, kProtoIcmp, icmp_echo(false, id, s, 56), t, true);
            if (answered) {
                send_l4(trace, link, to, from, kProtoIcmp, icmp_echo(true, id, s, 56), t + 2 * kMs, false);
            }
        }
        t += 1000 * kMs;
    }
    return t;
}

std::int64_t arp_exchange(Trace& trace, const LinkContext& link, const Addr& asker, const Addr& target,
                          std::int64_t t) {
    LinkContext broadcast = link;
    broadcast.mac_b = kBroadcast;
    trace.add_packet(t, broadcast, kEtherArp, arp_packet(false, link.mac_a, asker, Mac{}, target), true);
    trace.add_packet(t + 300 * kUs, link, kEtherArp, arp_packet(true, link.mac_b, target, link.mac_a, asker),
                     false);
    return t + kMs;
}

}  // namespace sockeye::trafficgen
