// pcapng: a small mix written as pcapng (SHB, IDB, EPBs) to exercise the
// block-based reader; the same conversations also appear in classic pcap
// scenarios, so any difference in results is the reader's.
#include "flows.hpp"
#include "scenarios.hpp"
#include "tcp_conversation.hpp"

namespace sockeye::trafficgen {

void build_pcapng_mix(Trace& trace, CaptureWriter& /*writer*/, const ScenarioOptions& options) {
    const LinkContext link;
    const auto isn = static_cast<std::uint32_t>(options.seed);
    const TcpEndpoints web{ipv4(10, 4, 0, 1), ipv4(10, 4, 0, 2), 48000, 80};
    TcpConversation c(trace, link, web, kEpochNs, isn, isn + 5000U);
    c.handshake(true);
    c.exchange(350, 1400);
    c.data(false, 1400);
    c.data(false, 777);  // odd length: the EPB needs padding
    c.ack(true);
    c.fin_close(false);
    const TcpEndpoints ssh{ipv6({0x2001, 0x0db8, 4, 0, 0, 0, 0, 1}), ipv6({0x2001, 0x0db8, 4, 0, 0, 0, 0, 2}), 48001,
                           22};
    TcpConversation c6(trace, link, ssh, kEpochNs + 2 * kMs, isn + 9U, isn + 99U);
    c6.handshake(false);
    c6.exchange(37, 41);
    c6.reset(false);
    dns_exchange(trace, link, UdpEnds{ipv4(10, 4, 0, 1), ipv4(10, 4, 0, 53), 52000, 53}, kEpochNs + kMs, 3,
                 "pcapng.example", true);
    ping(trace, link, ipv4(10, 4, 0, 1), ipv4(10, 4, 0, 2), 0x0404, 2, true, kEpochNs + 3 * kMs);
    arp_exchange(trace, link, ipv4(10, 4, 0, 1), ipv4(10, 4, 0, 254), kEpochNs);
}

}  // namespace sockeye::trafficgen
