// linktypes-*: the same small mix over each link type, so that the flow
// results must not depend on the encapsulation.
#include "flows.hpp"
#include "scenarios.hpp"
#include "tcp_conversation.hpp"

namespace sockeye::trafficgen {

namespace {

void ip_mix(Trace& trace, const LinkContext& link) {
    const TcpEndpoints v4{ipv4(10, 3, 0, 1), ipv4(10, 3, 0, 2), 47000, 443};
    TcpConversation c(trace, link, v4, kEpochNs, 1000, 900000);
    c.handshake(true);
    c.exchange(517, 1400);
    c.exchange(90, 33);
    c.fin_close(true);
    const TcpEndpoints v6{ipv6({0x2001, 0x0db8, 3, 0, 0, 0, 0, 1}), ipv6({0x2001, 0x0db8, 3, 0, 0, 0, 0, 2}), 47001,
                          22};
    TcpConversation c6(trace, link, v6, kEpochNs + 3 * kMs, 555, 777);
    c6.handshake(true);
    c6.exchange(40, 1000);
    c6.reset(true);
    dns_exchange(trace, link, UdpEnds{ipv4(10, 3, 0, 1), ipv4(10, 3, 0, 53), 51000, 53}, kEpochNs + kMs, 42,
                 "linktype.example", true);
    const UdpEnds u6{ipv6({0x2001, 0x0db8, 3, 0, 0, 0, 0, 1}), ipv6({0x2001, 0x0db8, 3, 0, 0, 0, 0, 3}), 6000, 6001};
    for (int k = 0; k < 4; ++k) {
        udp_send(trace, link, u6, kEpochNs + (2 + k) * kMs, k != 2, 200);
    }
    ping(trace, link, ipv4(10, 3, 0, 1), ipv4(10, 3, 0, 2), 0x0303, 2, true, kEpochNs + 4 * kMs);
}

LinkContext link_for(LinkType type) {
    LinkContext link;
    link.link = type;
    return link;
}

}  // namespace

// SLL and SLL2 carry ARP; raw IP, NULL and LOOP can only carry IP.
void build_link_mix(Trace& trace, CaptureWriter& /*writer*/, const ScenarioOptions& options) {
    const LinkContext link = link_for(options.link);
    ip_mix(trace, link);
    arp_exchange(trace, link, ipv4(10, 3, 0, 1), ipv4(10, 3, 0, 254), kEpochNs + 500 * kUs);
}

void build_link_mix_ip_only(Trace& trace, CaptureWriter& /*writer*/, const ScenarioOptions& options) {
    ip_mix(trace, link_for(options.link));
}

}  // namespace sockeye::trafficgen
