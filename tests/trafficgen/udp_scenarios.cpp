// udp-icmp-arp: the connectionless protocols: DNS-like request/response,
// one-way and two-way UDP, ICMP and ICMPv6 echo, neighbour discovery, ARP, IGMP.
#include "flows.hpp"
#include "rng.hpp"
#include "scenarios.hpp"

namespace sockeye::trafficgen {

namespace {

constexpr std::uint8_t kNeighborSolicitation = 135;
constexpr std::uint8_t kNeighborAdvertisement = 136;
constexpr std::uint8_t kIgmpV2Report = 0x16;
constexpr std::uint8_t kIgmpLeave = 0x17;

void neighbour_discovery(Trace& trace, const LinkContext& link, std::int64_t t) {
    const Addr asker = ipv6({0xfe80, 0, 0, 0, 0, 0, 0, 1});
    const Addr target = ipv6({0xfe80, 0, 0, 0, 0, 0, 0, 2});
    const Addr group = solicited_node(target);
    Bytes ns;
    put_u32(ns, 0);
    put_bytes(ns, target.view());
    put_u8(ns, 1);  // source link-layer address option
    put_u8(ns, 1);
    put_bytes(ns, link.mac_a);
    trace.add_packet(t, link, kEtherIpv6,
                     ipv6_packet(asker, group, kProtoIcmpv6,
                                 icmpv6_message(asker, group, kNeighborSolicitation, 0, ns), 255),
                     true);
    Bytes na;
    put_u32(na, 0x60000000);  // solicited + override
    put_bytes(na, target.view());
    put_u8(na, 2);  // target link-layer address option
    put_u8(na, 1);
    put_bytes(na, link.mac_b);
    trace.add_packet(t + 200 * kUs, link, kEtherIpv6,
                     ipv6_packet(target, asker, kProtoIcmpv6,
                                 icmpv6_message(target, asker, kNeighborAdvertisement, 0, na), 255),
                     false);
}

void igmp(Trace& trace, const LinkContext& link, std::int64_t t) {
    const Addr host = ipv4(10, 0, 0, 5);
    const Addr group = ipv4(224, 0, 0, 251);
    LinkContext mcast = link;
    mcast.mac_b = Mac{0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
    Ipv4Fields f;
    f.protocol = kProtoIgmp;
    f.ttl = 1;
    trace.add_packet(t, mcast, kEtherIpv4, ipv4_packet(host, group, f, igmp_v2(kIgmpV2Report, group)), true);
    const Addr all_routers = ipv4(224, 0, 0, 2);
    mcast.mac_b = Mac{0x01, 0x00, 0x5e, 0x00, 0x00, 0x02};
    trace.add_packet(t + 2000 * kMs, mcast, kEtherIpv4,
                     ipv4_packet(host, all_routers, f, igmp_v2(kIgmpLeave, group)), true);
}

}  // namespace

void build_udp_icmp_arp(Trace& trace, CaptureWriter& /*writer*/, const ScenarioOptions& options) {
    Rng rng(options.seed);
    const LinkContext link;
    const std::int64_t t0 = kEpochNs;

    // DNS: one client port reused for several queries (one flow), fresh
    // ports for others, an unanswered query, and DNS over IPv6.
    const Addr resolver = ipv4(192, 0, 2, 53);
    UdpEnds dns{ipv4(10, 0, 0, 5), resolver, 53001, 53};
    std::int64_t t = t0;
    for (std::uint16_t q = 1; q <= 3; ++q) {
        t = dns_exchange(trace, link, dns, t, q, "example.com", true);
    }
    for (std::uint16_t k = 0; k < 8; ++k) {
        UdpEnds e{ipv4(10, 0, 0, static_cast<std::uint8_t>(6 + k % 3)), resolver,
                  static_cast<std::uint16_t>(33000 + rng.between(0, 20000)), 53};
        t = dns_exchange(trace, link, e, t + rng.between(1, 50) * kMs, static_cast<std::uint16_t>(100 + k),
                         k % 2 == 0 ? "www.example.org" : "mail.example.net", k != 5);
    }
    UdpEnds dns6{ipv6({0x2001, 0x0db8, 0, 0x0c, 0, 0, 0, 5}), ipv6({0x2001, 0x0db8, 0, 0x05, 0, 0, 0, 0x53}), 53002,
                 53};
    dns_exchange(trace, link, dns6, t0 + 40 * kMs, 7, "example.com", true);

    // Other UDP: NTP both ways, one-way syslog, a chatty application flow.
    UdpEnds ntp{ipv4(10, 0, 0, 5), ipv4(192, 0, 2, 123), 123, 123};
    udp_send(trace, link, ntp, t0 + 10 * kMs, true, 48);
    udp_send(trace, link, ntp, t0 + 14 * kMs, false, 48);
    UdpEnds syslog{ipv4(10, 0, 0, 7), ipv4(192, 0, 2, 14), 514, 514};
    for (int k = 0; k < 5; ++k) {
        udp_send(trace, link, syslog, t0 + (20 + 100 * k) * kMs, true, rng.between(40, 300));
    }
    UdpEnds app{ipv4(10, 0, 0, 8), ipv4(198, 51, 100, 20), 40404, 9000};
    for (int k = 0; k < 20; ++k) {
        udp_send(trace, link, app, t0 + (30 + 17 * k) * kMs, k % 3 != 0, rng.between(1, 1400));
    }

    // ICMP and ICMPv6 echo, one unanswered echo.
    ping(trace, link, ipv4(10, 0, 0, 5), ipv4(192, 0, 2, 1), 0x1234, 4, true, t0 + 50 * kMs);
    ping(trace, link, ipv4(10, 0, 0, 6), ipv4(203, 0, 113, 9), 0x0777, 2, false, t0 + 60 * kMs);
    ping(trace, link, ipv6({0x2001, 0x0db8, 0, 0x0c, 0, 0, 0, 5}), ipv6({0x2001, 0x0db8, 0, 0x05, 0, 0, 0, 1}),
         0x4321, 3, true, t0 + 70 * kMs);

    neighbour_discovery(trace, link, t0 + 5 * kMs);
    arp_exchange(trace, link, ipv4(10, 0, 0, 5), ipv4(10, 0, 0, 1), t0 + 1 * kMs);
    arp_exchange(trace, link, ipv4(10, 0, 0, 6), ipv4(10, 0, 0, 1), t0 + 900 * kMs);
    igmp(trace, link, t0 + 3 * kMs);
}

}  // namespace sockeye::trafficgen
