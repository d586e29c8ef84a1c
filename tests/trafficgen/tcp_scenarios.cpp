// tcp-mix: the TCP behaviours the flow table and the TCP analysis must get
// right, spread over 200 overlapping connections on IPv4 and IPv6.
#include "rng.hpp"
#include "scenarios.hpp"
#include "tcp_conversation.hpp"

namespace sockeye::trafficgen {

namespace {

constexpr int kFlows = 200;
constexpr std::array<std::uint16_t, 5> kServerPorts{80, 443, 22, 8080, 5432};

TcpEndpoints endpoints_for(int i) {
    TcpEndpoints e;
    const auto n = static_cast<std::uint16_t>(i);
    if (i % 4 == 3) {
        e.client = ipv6({0x2001, 0x0db8, 0, 0x0c, 0, 0, 0, static_cast<std::uint16_t>(n + 1)});
        e.server = ipv6({0x2001, 0x0db8, 0, 0x05, 0, 0, 0, static_cast<std::uint16_t>(n % 7 + 1)});
    } else {
        e.client = ipv4(10, 0, static_cast<std::uint8_t>(n / 100), static_cast<std::uint8_t>(n % 100 + 1));
        e.server = ipv4(192, 0, 2, static_cast<std::uint8_t>(n % 9 + 1));
    }
    e.client_port = static_cast<std::uint16_t>(40000 + n);
    e.server_port = kServerPorts[static_cast<std::size_t>(i) % kServerPorts.size()];
    return e;
}

void exchanges(TcpConversation& c, Rng& rng, int count) {
    for (int k = 0; k < count; ++k) {
        c.exchange(rng.between(1, 600), rng.between(1, 1400));
    }
}

// One connection's life; `kind` picks the behaviour.
void run_flow(Trace& trace, Rng& rng, int i, std::int64_t start) {
    const LinkContext link;
    const TcpEndpoints ends = endpoints_for(i);
    TcpConversation c(trace, link, ends, start, static_cast<std::uint32_t>(rng.next()),
                      static_cast<std::uint32_t>(rng.next()));
    c.set_step(rng.between(100, 2000) * kUs);
    switch (i % 10) {
    case 0:
    case 1:
    case 2:
        c.handshake(true);
        exchanges(c, rng, static_cast<int>(rng.between(1, 4)));
        c.fin_close(true);
        break;
    case 3:
        c.handshake(false);
        c.data(false, rng.between(1, 1400));
        c.ack(true);
        c.fin_close(false);
        break;
    case 4:
        c.handshake(true);
        exchanges(c, rng, 1);
        c.reset(false);
        break;
    case 5:
        c.handshake(true);
        exchanges(c, rng, 1);
        c.retransmission(true, rng.between(100, 1400));
        c.fin_close(true);
        break;
    case 6:
        c.handshake(true);
        c.out_of_order(false, rng.between(100, 1400), rng.between(100, 1400));
        c.fin_close(true);
        break;
    case 7:
        c.handshake(true);
        c.fast_retransmit(false, 1200);
        c.fin_close(false);
        break;
    case 8:
        // Joined mid-stream: the capture started after the handshake.
        c.data(true, rng.between(1, 1400));
        c.data(false, rng.between(1, 1400));
        c.ack(true);
        c.data(false, rng.between(1, 1400));
        c.ack(true);
        break;
    default:
        c.handshake(false);
        exchanges(c, rng, 1);
        c.reset(true);
        break;
    }
    // Every 25th flow: a new connection on the same 4-tuple once the first
    // has closed, with a fresh ISN (a new generation of the flow).
    if (i % 25 == 0 || i % 25 == 4) {
        TcpConversation again(trace, link, ends, c.now() + 1500 * kMs, static_cast<std::uint32_t>(rng.next()),
                              static_cast<std::uint32_t>(rng.next()));
        again.handshake(true);
        exchanges(again, rng, 1);
        again.fin_close(true);
    }
}

// A SYN nobody answers, retransmitted (the flow stays in SYN_SENT).
void unanswered_syn(Trace& trace, int n, std::int64_t start) {
    TcpEndpoints e;
    e.client = ipv4(10, 0, 9, static_cast<std::uint8_t>(n + 1));
    e.server = ipv4(198, 51, 100, 7);
    e.client_port = static_cast<std::uint16_t>(50000 + n);
    e.server_port = 25;
    TcpConversation c(trace, LinkContext{}, e, start, 0x1000U + static_cast<std::uint32_t>(n), 0);
    c.unanswered_syn(3);
}

}  // namespace

void build_tcp_mix(Trace& trace, CaptureWriter& /*writer*/, const ScenarioOptions& options) {
    Rng rng(options.seed);
    for (int i = 0; i < kFlows; ++i) {
        const std::int64_t start = kEpochNs + i * 15 * kMs + rng.between(0, 5000) * kUs;
        run_flow(trace, rng, i, start);
    }
    for (int n = 0; n < 3; ++n) {
        unanswered_syn(trace, n, kEpochNs + n * 700 * kMs);
    }
}

}  // namespace sockeye::trafficgen
