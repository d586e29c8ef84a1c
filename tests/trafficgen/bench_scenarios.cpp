// bench-mix: a throughput workload. About 10k TCP connections are open at any
// time (mostly data segments of 100-1500 bytes and their ACKs); each finishes
// with FIN and is replaced by a new one. Plus UDP flows and some ICMP echo.
// Frames stream straight to the writer: nothing is held per packet.
//
// live-mix: the same workload, but a quarter of the TCP connections and UDP
// flows run over IPv6, about a tenth carry an 802.1Q tag, and connections
// are shorter (about 40 packets instead of 200), so a live capture of it
// exercises the decode paths and the flow churn a real uplink does. Every
// frame fits a 1500-byte MTU (plus the tag), as make bench-live replays it
// through a veth with the default MTU, which would drop anything larger.
#include <algorithm>
#include <vector>

#include "flows.hpp"
#include "rng.hpp"
#include "scenarios.hpp"

namespace sockeye::trafficgen {

namespace {

constexpr std::uint64_t kDefaultPackets = 1000000;
constexpr std::size_t kTcpSlots = 10000;
constexpr std::size_t kUdpFlows = 1000;
constexpr std::size_t kPingers = 100;
constexpr std::uint16_t kTcpVlan = 100;
constexpr std::uint16_t kUdpVlan = 200;
// The largest TCP payload that keeps an IPv4 packet within 1500 bytes (and
// an IPv6 one, 20 bytes more header, at 1500 - 74).
constexpr std::uint32_t kMaxPayloadV4 = 1500 - 54;
constexpr std::uint32_t kMaxPayloadV6 = 1500 - 74;

struct Slot {
    std::uint16_t client_port = 0;
    std::uint8_t phase = 0;      // 0 SYN, 1 SYN/ACK, 2 ACK, 3 data, 4.. FIN exchange
    bool ack_due = false;        // the receiver of the last data segment owes an ACK
    bool last_from_client = false;
    std::uint32_t segments_left = 0;
    std::uint32_t client_next = 0;
    std::uint32_t server_next = 0;
};

class BenchMix {
public:
    // `varied`: live-mix (IPv6 and VLAN flows); otherwise bench-mix, whose
    // bytes the golden gen-bench-mix-2k pins. Both draw the same random numbers.
    BenchMix(CaptureWriter& writer, std::uint64_t seed, bool varied)
        : writer_(writer), rng_(seed), slots_(kTcpSlots), varied_(varied) {
        tagged_tcp_.tags[0] = VlanTag{kEtherVlan, kTcpVlan};
        tagged_tcp_.tag_count = 1;
        tagged_udp_.tags[0] = VlanTag{kEtherVlan, kUdpVlan};
        tagged_udp_.tag_count = 1;
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            reset(i);
        }
    }

    void step() {
        now_ += rng_.between(1, 20) * kUs;
        const std::uint32_t pick = rng_.between(0, 99);
        if (pick < 88) {
            tcp(rng_.between(0, kTcpSlots - 1));
        } else if (pick < 98) {
            udp(rng_.between(0, kUdpFlows - 1));
        } else {
            icmp(rng_.between(0, kPingers - 1));
        }
    }

private:
    [[nodiscard]] bool tcp_v6(std::size_t i) const { return varied_ && i % 4 == 3; }
    [[nodiscard]] bool udp_v6(std::size_t k) const { return varied_ && k % 4 == 1; }
    [[nodiscard]] const LinkContext& tcp_link(std::size_t i) const {
        return varied_ && i % 10 == 7 ? tagged_tcp_ : link_;
    }
    [[nodiscard]] const LinkContext& udp_link(std::size_t k) const {
        return varied_ && k % 8 == 2 ? tagged_udp_ : link_;
    }

    [[nodiscard]] Addr client_of(std::size_t i) const {
        if (tcp_v6(i)) {
            return ipv6({0x2001, 0x0db8, 0x0100, 0, 0, 0, static_cast<std::uint16_t>(i / 65536),
                         static_cast<std::uint16_t>(i % 65536)});
        }
        return ipv4(10, static_cast<std::uint8_t>(100 + i / 65536), static_cast<std::uint8_t>(i / 256 % 256),
                    static_cast<std::uint8_t>(i % 256));
    }
    [[nodiscard]] Addr server_of(std::size_t i) const {
        if (tcp_v6(i)) return ipv6({0x2001, 0x0db8, 0x0172, 0x0016, 0, 0, static_cast<std::uint16_t>(i % 64), 0x10});
        return ipv4(172, 16, static_cast<std::uint8_t>(i % 64), 10);
    }

    void reset(std::size_t i) {
        Slot& s = slots_[i];
        s.client_port = static_cast<std::uint16_t>(s.client_port == 0 ? 1024 + rng_.between(0, 30000)
                                                                      : s.client_port + 1);
        s.phase = 0;
        s.ack_due = false;
        const std::uint32_t segments = rng_.between(4, 200);
        // live-mix: shorter connections, so a million packets hold tens of
        // thousands of flows (openings and closings are what attribution and
        // the flow table pay for), not the ~13k of bench-mix.
        s.segments_left = varied_ ? 4 + segments / 8 : segments;
        s.client_next = static_cast<std::uint32_t>(rng_.next());
        s.server_next = static_cast<std::uint32_t>(rng_.next());
    }

    void emit(const LinkContext& link, const Addr& src, const Addr& dst, std::uint8_t proto, const Bytes& l4,
              bool from_a) {
        const Bytes packet = ip_wrap(src, dst, proto, l4, static_cast<std::uint16_t>(count_));
        const Bytes frame = encapsulate(link, src.v6 ? kEtherIpv6 : kEtherIpv4, packet, from_a);
        writer_.write(now_, frame);
        ++count_;
    }

    void segment(std::size_t i, bool from_client, std::uint8_t flags, std::uint32_t len) {
        Slot& s = slots_[i];
        TcpFields f;
        f.source_port = from_client ? s.client_port : 443;
        f.destination_port = from_client ? 443 : s.client_port;
        f.seq = from_client ? s.client_next : s.server_next;
        f.ack = (flags & kAck) != 0 ? (from_client ? s.server_next : s.client_next) : 0;
        f.flags = flags;
        f.payload_len = len;
        const Addr c = client_of(i);
        const Addr srv = server_of(i);
        emit(tcp_link(i), from_client ? c : srv, from_client ? srv : c, kProtoTcp,
             tcp_segment(from_client ? c : srv, from_client ? srv : c, f), from_client);
        const std::uint32_t consumed = len + ((flags & (kSyn | kFin)) != 0 ? 1U : 0U);
        (from_client ? s.client_next : s.server_next) += consumed;
    }

    void tcp(std::size_t i) {
        Slot& s = slots_[i];
        switch (s.phase) {
        case 0: segment(i, true, kSyn, 0); break;
        case 1: segment(i, false, kSyn | kAck, 0); break;
        case 2: segment(i, true, kAck, 0); break;
        case 3: {
            if (s.ack_due) {
                segment(i, !s.last_from_client, kAck, 0);
                s.ack_due = false;
                if (s.segments_left == 0) {
                    ++s.phase;
                }
                return;
            }
            s.last_from_client = rng_.chance(25);  // mostly downloads
            const std::uint32_t len = rng_.between(100, kMaxPayloadV4);
            segment(i, s.last_from_client, kPsh | kAck, tcp_v6(i) ? std::min(len, kMaxPayloadV6) : len);
            s.ack_due = true;
            --s.segments_left;
            return;
        }
        case 4: segment(i, true, kFin | kAck, 0); break;
        case 5: segment(i, false, kFin | kAck, 0); break;
        default:
            segment(i, true, kAck, 0);
            reset(i);
            return;
        }
        ++s.phase;
    }

    void udp(std::size_t k) {
        const Addr a = udp_v6(k) ? ipv6({0x2001, 0x0db8, 0x0200, 0, 0, 0, 0, static_cast<std::uint16_t>(k)})
                                 : ipv4(10, 200, static_cast<std::uint8_t>(k / 256), static_cast<std::uint8_t>(k % 256));
        const Addr b = udp_v6(k) ? ipv6({0x2001, 0x0db8, 0x0172, 0x0017, 0, 0, 0, static_cast<std::uint16_t>(k % 16 + 1)})
                                 : ipv4(172, 17, 0, static_cast<std::uint8_t>(k % 16 + 1));
        const bool from_a = rng_.chance(60);
        const auto port = static_cast<std::uint16_t>(20000 + k);
        payload_.assign(rng_.between(20, 1200), 0x55);
        emit(udp_link(k), from_a ? a : b, from_a ? b : a, kProtoUdp,
             udp_datagram(from_a ? a : b, from_a ? b : a, from_a ? port : 5000, from_a ? 5000 : port, payload_),
             from_a);
    }

    void icmp(std::size_t k) {
        const Addr a = ipv4(10, 201, 0, static_cast<std::uint8_t>(k + 1));
        const Addr b = ipv4(172, 18, 0, 1);
        const bool reply = rng_.chance(50);
        emit(link_, reply ? b : a, reply ? a : b, kProtoIcmp,
             icmp_echo(reply, static_cast<std::uint16_t>(k + 1), static_cast<std::uint16_t>(count_), 56), !reply);
    }

    CaptureWriter& writer_;
    Rng rng_;
    std::vector<Slot> slots_;
    bool varied_;
    LinkContext link_;
    LinkContext tagged_tcp_;
    LinkContext tagged_udp_;
    Bytes payload_;
    std::int64_t now_ = kEpochNs;
    std::uint64_t count_ = 0;
};

}  // namespace

namespace {

void run_mix(CaptureWriter& writer, const ScenarioOptions& options, bool varied) {
    const std::uint64_t packets = options.packets != 0 ? options.packets : kDefaultPackets;
    BenchMix mix(writer, options.seed, varied);
    for (std::uint64_t n = 0; n < packets; ++n) {
        mix.step();
    }
}

}  // namespace

void build_bench_mix(Trace& /*trace*/, CaptureWriter& writer, const ScenarioOptions& options) {
    run_mix(writer, options, false);
}

void build_live_mix(Trace& /*trace*/, CaptureWriter& writer, const ScenarioOptions& options) {
    run_mix(writer, options, true);
}

}  // namespace sockeye::trafficgen
