// flood: the hostile-traffic workload of the memory bound. A TCP SYN flood and
// a UDP spray from spoofed random sources at one victim, one packet every
// microsecond, so nothing idles out and the flow table lives at its cap.
// --packets N (default 5,000,000) frames carry exactly 2N/5 distinct flows:
// each frame either opens a new flow or repeats one of the recent ones (the
// victim's SYN/ACK, the attacker's SYN retransmit, another UDP datagram).
// Frames stream straight to the writer: nothing is held per flow.
// udp-spray, below, is the same idea with one packet per flow.
#include <algorithm>
#include <array>
#include <vector>

#include "packet_builder.hpp"
#include "rng.hpp"
#include "scenarios.hpp"
#include "trace.hpp"

namespace sockeye::trafficgen {

namespace {

constexpr std::uint64_t kDefaultPackets = 5'000'000;
constexpr std::size_t kRecent = 4096;  // follow-ups pick among the latest flows
constexpr std::uint32_t kSynPercent = 60;

struct FloodFlow {
    std::uint32_t source = 0;  // spoofed IPv4 source, distinct per flow
    std::uint16_t port = 0;    // attacker's source port
    std::uint16_t victim_port = 0;
    std::uint32_t seq = 0;
    bool syn = false;          // SYN flood flow, else UDP spray
};

// A bijection on 32 bits (odd multiply, xor-shift): distinct flow numbers give
// distinct, random-looking source addresses, so the flow count is exact.
std::uint32_t scatter(std::uint32_t n) {
    n *= 0x9E3779B1U;
    n ^= n >> 16U;
    n *= 0x85EBCA6BU;
    n ^= n >> 13U;
    return n;
}

Addr address_of(std::uint32_t a) {
    return ipv4(static_cast<std::uint8_t>(a >> 24U), static_cast<std::uint8_t>(a >> 16U),
                static_cast<std::uint8_t>(a >> 8U), static_cast<std::uint8_t>(a));
}

class Flood {
public:
    Flood(CaptureWriter& writer, std::uint64_t seed, std::uint64_t packets)
        : writer_(writer), rng_(seed), packets_left_(packets), flows_left_(packets * 2 / 5) {
        if (flows_left_ == 0) flows_left_ = 1;
    }

    void step() {
        now_ += kUs;
        // P(new flow) = flows still to open / frames still to write: exact totals.
        const bool open = started_ == 0 || (flows_left_ > 0 && rng_.next() % packets_left_ < flows_left_);
        if (open) {
            open_flow();
        } else {
            const auto recent = static_cast<std::uint32_t>(std::min<std::uint64_t>(started_, kRecent));
            follow_up(recent_[rng_.between(0, recent - 1)]);
        }
        --packets_left_;
    }

private:
    static constexpr std::uint32_t kVictim = 0xC0000210;  // 192.0.2.16

    void open_flow() {
        FloodFlow f;
        f.source = scatter(static_cast<std::uint32_t>(started_ + 1));  // scatter(0) is 0.0.0.0
        f.port = static_cast<std::uint16_t>(rng_.between(1024, 65535));
        f.syn = rng_.chance(kSynPercent);
        f.victim_port = f.syn ? kSynPorts[rng_.between(0, static_cast<std::uint32_t>(kSynPorts.size()) - 1)]
                              : static_cast<std::uint16_t>(rng_.between(1, 65535));
        f.seq = static_cast<std::uint32_t>(rng_.next());
        recent_[started_ % kRecent] = f;
        ++started_;
        --flows_left_;
        if (f.syn) {
            syn(f, true);
        } else {
            udp(f);
        }
    }

    void follow_up(const FloodFlow& f) {
        if (!f.syn) {
            udp(f);
        } else {
            syn(f, rng_.chance(50));  // attacker retransmits, or the victim answers
        }
    }

    void syn(const FloodFlow& f, bool from_attacker) {
        const Addr attacker = address_of(f.source);
        const Addr victim = address_of(kVictim);
        TcpFields t;
        t.source_port = from_attacker ? f.port : f.victim_port;
        t.destination_port = from_attacker ? f.victim_port : f.port;
        t.seq = from_attacker ? f.seq : ~f.seq;
        t.ack = from_attacker ? 0 : f.seq + 1;
        t.flags = from_attacker ? kSyn : static_cast<std::uint8_t>(kSyn | kAck);
        t.window = from_attacker ? 1024 : 64240;
        emit(from_attacker ? attacker : victim, from_attacker ? victim : attacker, kProtoTcp,
             tcp_segment(from_attacker ? attacker : victim, from_attacker ? victim : attacker, t), from_attacker);
    }

    void udp(const FloodFlow& f) {
        const Addr attacker = address_of(f.source);
        const Addr victim = address_of(kVictim + 1);
        payload_.assign(rng_.between(16, 256), static_cast<std::uint8_t>(f.source));
        emit(attacker, victim, kProtoUdp, udp_datagram(attacker, victim, f.port, f.victim_port, payload_), true);
    }

    void emit(const Addr& src, const Addr& dst, std::uint8_t proto, const Bytes& l4, bool from_a) {
        const Bytes packet = ip_wrap(src, dst, proto, l4, static_cast<std::uint16_t>(count_));
        writer_.write(now_, encapsulate(link_, kEtherIpv4, packet, from_a));
        ++count_;
    }

    static constexpr std::array<std::uint16_t, 4> kSynPorts{80, 443, 22, 8080};

    CaptureWriter& writer_;
    Rng rng_;
    std::uint64_t packets_left_;
    std::uint64_t flows_left_;
    std::uint64_t started_ = 0;
    std::array<FloodFlow, kRecent> recent_{};
    LinkContext link_;
    Bytes payload_;
    std::int64_t now_ = kEpochNs;
    std::uint64_t count_ = 0;
};

// udp-spray: every frame a flow of its own (one UDP datagram from a distinct
// spoofed source), the worst case for memory per flow.
class UdpSpray {
public:
    UdpSpray(CaptureWriter& writer, std::uint64_t seed) : writer_(writer), rng_(seed) {}

    void step() {
        now_ += kUs;
        const Addr source = address_of(scatter(static_cast<std::uint32_t>(count_ + 1)));
        const Addr victim = address_of(0xC0000211);  // 192.0.2.17
        const auto port = static_cast<std::uint16_t>(rng_.between(1024, 65535));
        payload_.assign(rng_.between(16, 128), static_cast<std::uint8_t>(count_));
        const Bytes packet = ip_wrap(source, victim, kProtoUdp,
                                     udp_datagram(source, victim, port, 53, payload_),
                                     static_cast<std::uint16_t>(count_));
        writer_.write(now_, encapsulate(link_, kEtherIpv4, packet, true));
        ++count_;
    }

private:
    CaptureWriter& writer_;
    Rng rng_;
    LinkContext link_;
    Bytes payload_;
    std::int64_t now_ = kEpochNs;
    std::uint64_t count_ = 0;
};

}  // namespace

void build_udp_spray(Trace& /*trace*/, CaptureWriter& writer, const ScenarioOptions& options) {
    const std::uint64_t packets = options.packets != 0 ? options.packets : 1'000'000;
    UdpSpray spray(writer, options.seed);
    for (std::uint64_t n = 0; n < packets; ++n) spray.step();
}

void build_flood(Trace& /*trace*/, CaptureWriter& writer, const ScenarioOptions& options) {
    const std::uint64_t packets = options.packets != 0 ? options.packets : kDefaultPackets;
    Flood flood(writer, options.seed, packets);
    for (std::uint64_t n = 0; n < packets; ++n) {
        flood.step();
    }
}

}  // namespace sockeye::trafficgen
