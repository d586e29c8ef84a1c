// malformed: damaged packets (but a well-formed file) between good traffic.
// Each bad frame should raise an anomaly and must never take a good flow's
// counters with it.
#include "flows.hpp"
#include "scenarios.hpp"
#include "tcp_conversation.hpp"

namespace sockeye::trafficgen {

namespace {

const Addr kA = ipv4(10, 5, 0, 1);
const Addr kB = ipv4(10, 5, 0, 2);

Bytes good_tcp(std::uint32_t payload) {
    TcpFields f;
    f.source_port = 49000;
    f.destination_port = 80;
    f.seq = 1;
    f.ack = 1;
    f.flags = kAck | kPsh;
    f.payload_len = payload;
    return tcp_segment(kA, kB, f);
}

Bytes eth(const Bytes& packet, std::uint16_t ethertype = kEtherIpv4) {
    return encapsulate(LinkContext{}, ethertype, packet, true);
}

// Frame cut at `caplen` bytes, as a capture with a small snaplen records it.
void add_cut(Trace& trace, std::int64_t t, const Bytes& frame, std::size_t caplen) {
    Bytes cut(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(std::min(caplen, frame.size())));
    trace.add_frame(t, std::move(cut), static_cast<std::uint32_t>(frame.size()));
}

void bad_frames(Trace& trace, std::int64_t t) {
    const std::int64_t gap = 3 * kMs;
    Ipv4Fields ip;
    ip.protocol = kProtoTcp;
    const Bytes full = eth(ipv4_packet(kA, kB, ip, good_tcp(1400)));
    add_cut(trace, t, full, 96);                  // snaplen cut inside the payload
    add_cut(trace, t += gap, full, 14 + 20 + 10);  // cut inside the TCP header
    add_cut(trace, t += gap, full, 14 + 8);        // cut inside the IPv4 header
    add_cut(trace, t += gap, full, 10);            // cut inside the Ethernet header

    Ipv4Fields bad = ip;
    bad.ihl_words = 3;  // IHL below the minimum of 5
    trace.add_frame(t += gap, eth(ipv4_packet(kA, kB, bad, good_tcp(10))));
    bad = ip;
    bad.ihl_words = 15;  // options longer than the packet
    trace.add_frame(t += gap, eth(ipv4_packet(kA, kB, bad, Bytes(8, 0))));
    bad = ip;
    bad.version = 7;  // not IPv4 behind ethertype 0x0800
    trace.add_frame(t += gap, eth(ipv4_packet(kA, kB, bad, good_tcp(10))));
    // An IPv4 packet behind the IPv6 ethertype.
    trace.add_frame(t += gap, eth(ipv4_packet(kA, kB, ip, good_tcp(10)), kEtherIpv6));

    TcpFields f;
    f.source_port = 49001;
    f.destination_port = 80;
    f.flags = kAck;
    f.data_offset_words = 3;  // TCP header length below 20
    f.payload_len = 20;
    trace.add_frame(t += gap, eth(ipv4_packet(kA, kB, ip, tcp_segment(kA, kB, f))));
    f.data_offset_words = 15;  // header longer than the segment
    f.payload_len = 4;
    trace.add_frame(t += gap, eth(ipv4_packet(kA, kB, ip, tcp_segment(kA, kB, f))));

    Ipv4Fields udp = ip;
    udp.protocol = kProtoUdp;
    const Bytes payload(42, 'x');
    trace.add_frame(t += gap, eth(ipv4_packet(kA, kB, udp, udp_datagram(kA, kB, 4000, 4001, payload, 400))));
    trace.add_frame(t += gap, eth(ipv4_packet(kA, kB, udp, udp_datagram(kA, kB, 4000, 4001, payload, 4))));

    bad = ip;
    bad.total_length = 65535;  // absurd: far beyond the frame
    trace.add_frame(t += gap, eth(ipv4_packet(kA, kB, bad, good_tcp(10))));
    bad.total_length = 12;  // shorter than its own header
    trace.add_frame(t += gap, eth(ipv4_packet(kA, kB, bad, good_tcp(10))));
    // IPv6 whose payload length claims 65000 bytes.
    const Addr a6 = ipv6({0x2001, 0x0db8, 5, 0, 0, 0, 0, 1});
    const Addr b6 = ipv6({0x2001, 0x0db8, 5, 0, 0, 0, 0, 2});
    Bytes v6 = ipv6_packet(a6, b6, kProtoUdp, udp_datagram(a6, b6, 4000, 4001, payload));
    set_u16(v6, 4, 65000);
    trace.add_frame(t += gap, eth(v6, kEtherIpv6));
    // An ICMP message too short for its header; an ARP packet cut by the snaplen.
    trace.add_frame(t += gap, eth(ipv4_packet(kA, kB, Ipv4Fields{.protocol = kProtoIcmp}, Bytes{8, 0})));
    const Bytes arp = arp_packet(false, Mac{2, 0, 0, 0, 0, 1}, kA, Mac{}, kB);
    add_cut(trace, t += gap, eth(arp, kEtherArp), 14 + 12);
    // A frame shorter than an Ethernet header (and reported so: len == caplen).
    trace.add_frame(t += gap, Bytes{0x02, 0, 0, 0, 0, 2, 0x02, 0, 0});
}

}  // namespace

void build_malformed(Trace& trace, CaptureWriter& /*writer*/, const ScenarioOptions& options) {
    const LinkContext link;
    const auto isn = static_cast<std::uint32_t>(options.seed) * 31U;
    const TcpEndpoints web{kA, kB, 48500, 80};
    TcpConversation c(trace, link, web, kEpochNs, isn, isn + 1000U);
    c.set_step(4 * kMs);
    c.handshake(true);
    for (int k = 0; k < 8; ++k) {
        c.exchange(200, 1400);
    }
    c.fin_close(true);
    dns_exchange(trace, link, UdpEnds{kA, ipv4(10, 5, 0, 53), 53500, 53}, kEpochNs + 5 * kMs, 11,
                 "malformed.example", true);
    bad_frames(trace, kEpochNs + 1 * kMs);
    ping(trace, link, kA, kB, 0x0505, 3, true, kEpochNs + 2 * kMs);
}

}  // namespace sockeye::trafficgen
