// fragments: UDP datagrams (and a big ping) larger than the MTU, split into
// IPv4 fragments and IPv6 fragment headers. Only first fragments carry the
// transport header, so only they can be attributed to a flow.
#include "flows.hpp"
#include "rng.hpp"
#include "scenarios.hpp"

namespace sockeye::trafficgen {

namespace {

constexpr std::size_t kV4Piece = 1480;  // 1500 MTU - 20 byte header
constexpr std::size_t kV6Piece = 1448;  // 1500 - 40 - 8, rounded down to 8

// Splits a whole transport message into fragments; `reverse` sends them last first.
void send_fragmented(Trace& trace, const LinkContext& link, const Addr& src, const Addr& dst, std::uint8_t proto,
                     const Bytes& message, std::uint32_t id, std::int64_t t, bool from_a, bool reverse) {
    const std::size_t piece = src.v6 ? kV6Piece : kV4Piece;
    std::vector<Bytes> packets;
    for (std::size_t off = 0; off < message.size(); off += piece) {
        const std::size_t len = std::min(piece, message.size() - off);
        const std::span<const std::uint8_t> part = std::span<const std::uint8_t>(message).subspan(off, len);
        const bool more = off + len < message.size();
        if (src.v6) {
            packets.push_back(ipv6_fragment(src, dst, proto, id, static_cast<std::uint16_t>(off), more, part));
        } else {
            Ipv4Fields f;
            f.protocol = proto;
            f.id = static_cast<std::uint16_t>(id);
            f.fragment_offset = static_cast<std::uint16_t>(off);
            f.more_fragments = more;
            f.dont_fragment = false;
            packets.push_back(ipv4_packet(src, dst, f, part));
        }
    }
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const Bytes& p = packets[reverse ? packets.size() - 1 - i : i];
        trace.add_packet(t + static_cast<std::int64_t>(i) * 20 * kUs, link, ethertype_for(src), p, from_a);
    }
}

}  // namespace

void build_fragments(Trace& trace, CaptureWriter& /*writer*/, const ScenarioOptions& options) {
    Rng rng(options.seed);
    const LinkContext link;
    const Addr a4 = ipv4(10, 2, 0, 1);
    const Addr b4 = ipv4(10, 2, 0, 2);
    const Addr a6 = ipv6({0x2001, 0x0db8, 2, 0, 0, 0, 0, 1});
    const Addr b6 = ipv6({0x2001, 0x0db8, 2, 0, 0, 0, 0, 2});
    std::int64_t t = kEpochNs;
    std::uint32_t id = 0x100;
    for (int k = 0; k < 6; ++k) {
        const bool v6 = k % 2 == 1;
        const Addr& src = v6 ? a6 : a4;
        const Addr& dst = v6 ? b6 : b4;
        const Bytes payload(rng.between(1600, 4000), static_cast<std::uint8_t>('f'));
        // NFS-like request: large fragmented datagram out, small reply back.
        send_fragmented(trace, link, src, dst, kProtoUdp, udp_datagram(src, dst, 700, 2049, payload), id++, t, true,
                        k == 4);
        const UdpEnds ends{src, dst, 700, 2049};
        udp_send(trace, link, ends, t + 2 * kMs, false, 120);
        t += 10 * kMs;
    }
    // A reply that is fragmented too (different flow direction).
    const Bytes big(3000, static_cast<std::uint8_t>('g'));
    send_fragmented(trace, link, b4, a4, kProtoUdp, udp_datagram(b4, a4, 5001, 5001, big), id++, t, false, false);
    // ping -s 3000 over IPv4 with its (fragmented) reply.
    send_fragmented(trace, link, a4, b4, kProtoIcmp, icmp_echo(false, 0x2222, 1, 3000), id++, t + 5 * kMs, true,
                    false);
    send_fragmented(trace, link, b4, a4, kProtoIcmp, icmp_echo(true, 0x2222, 1, 3000), id++, t + 6 * kMs, false,
                    false);
    // Plain unfragmented traffic on the same hosts.
    ping(trace, link, a4, b4, 0x2223, 2, true, t + 8 * kMs);
}

}  // namespace sockeye::trafficgen
