// vlan: 802.1Q and QinQ (802.1ad outer tag) traffic, and the same 5-tuple on
// two VLANs, which must stay two flows.
#include "flows.hpp"
#include "scenarios.hpp"
#include "tcp_conversation.hpp"

namespace sockeye::trafficgen {

namespace {

LinkContext tagged(std::uint16_t outer_tpid, std::uint16_t outer, std::uint16_t inner) {
    LinkContext link;
    link.tags[0] = VlanTag{outer_tpid, outer};
    link.tag_count = 1;
    if (inner != 0) {
        link.tags[1] = VlanTag{kEtherVlan, inner};
        link.tag_count = 2;
    }
    return link;
}

}  // namespace

void build_vlan(Trace& trace, CaptureWriter& /*writer*/, const ScenarioOptions& options) {
    const TcpEndpoints web{ipv4(10, 1, 0, 10), ipv4(10, 1, 0, 20), 45000, 80};
    const std::array<LinkContext, 4> links{
        tagged(kEtherVlan, 10, 0),
        tagged(kEtherVlan, 20, 0),          // same 5-tuple as VLAN 10
        tagged(kEtherQinQ, 100, 30),        // QinQ: outer 100, inner 30
        tagged(kEtherVlan, 0x0FFF & 4094, 0),
    };
    std::int64_t t = kEpochNs;
    std::uint32_t isn = static_cast<std::uint32_t>(options.seed) * 1000U;
    for (const LinkContext& link : links) {
        TcpConversation c(trace, link, web, t, isn, isn + 7777U);
        c.handshake(true);
        c.exchange(300, 1200);
        c.exchange(80, 900);
        c.fin_close(true);
        t += 7 * kMs;
        isn += 100000U;
    }
    // IPv6 TCP inside QinQ.
    const TcpEndpoints web6{ipv6({0x2001, 0x0db8, 1, 0, 0, 0, 0, 0x10}), ipv6({0x2001, 0x0db8, 1, 0, 0, 0, 0, 0x20}),
                            45001, 443};
    TcpConversation c6(trace, tagged(kEtherQinQ, 200, 40), web6, t, isn, isn + 1U);
    c6.handshake(true);
    c6.exchange(500, 1400);
    c6.reset(false);
    // The same UDP 5-tuple on two VLANs, and DNS on a QinQ VLAN.
    const UdpEnds stream{ipv4(10, 1, 0, 30), ipv4(10, 1, 0, 40), 5004, 5004};
    for (int k = 0; k < 6; ++k) {
        udp_send(trace, links[0], stream, kEpochNs + (2 + 5 * k) * kMs, true, 172);
        udp_send(trace, links[1], stream, kEpochNs + (3 + 5 * k) * kMs, k % 2 == 0, 172);
    }
    dns_exchange(trace, links[2], UdpEnds{ipv4(10, 1, 0, 10), ipv4(10, 1, 0, 53), 41000, 53}, kEpochNs + 4 * kMs, 9,
                 "vlan.example", true);
    ping(trace, links[0], ipv4(10, 1, 0, 10), ipv4(10, 1, 0, 1), 0x0101, 2, true, kEpochNs + 6 * kMs);
    arp_exchange(trace, links[0], ipv4(10, 1, 0, 10), ipv4(10, 1, 0, 1), kEpochNs);
}

}  // namespace sockeye::trafficgen
