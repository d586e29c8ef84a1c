#include "flow/flow_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

#include "unit/flow/frame_builder.hpp"

namespace sockeye::flow {
namespace {

namespace flag = decode::tcp_flag;
using snapshot::EndReason;
using snapshot::FlowProtocol;
using snapshot::FlowRecord;
using snapshot::FlowState;
using test::ip4;
using test::kMs;

const core::IpAddress kA = ip4(10, 0, 0, 1);
const core::IpAddress kB = ip4(10, 0, 0, 2);
const core::IpAddress kC = ip4(10, 0, 0, 3);

TEST(FlowTable, BothDirectionsAreOneFlow) {
    FlowTable t;
    EXPECT_TRUE(t.observe(test::udp(1000, kA, 5000, kB, 53, 40)));
    EXPECT_TRUE(t.observe(test::udp(2000, kB, 53, kA, 5000, 120)));
    EXPECT_TRUE(t.observe(test::udp(3000, kA, 5000, kB, 53, 40)));
    EXPECT_EQ(t.active_count(), 1U);
    const auto recs = test::records(t, 3000);
    ASSERT_EQ(recs.size(), 1U);
    const FlowRecord& r = recs[0];
    EXPECT_EQ(r.protocol, FlowProtocol::udp);
    EXPECT_EQ(r.ip_proto, 17);
    EXPECT_EQ(r.source_ip, kA);  // first sender
    EXPECT_EQ(r.source_port, 5000);
    EXPECT_EQ(r.destination_port, 53);
    EXPECT_EQ(r.packets_sent, 2U);
    EXPECT_EQ(r.packets_received, 1U);
    EXPECT_EQ(r.bytes_sent, 2U * 82U);
    EXPECT_EQ(r.bytes_received, 162U);
    EXPECT_EQ(r.first_seen_ns, 1000);
    EXPECT_EQ(r.last_seen_ns, 3000);
    EXPECT_EQ(r.state, FlowState::active);
    EXPECT_EQ(r.srtt_ns, -1);
}

TEST(FlowTable, UdpAnswerSeenFirstIsOrientedByPorts) {
    // The capture missed the question: the resolver's answer comes first.
    FlowTable t;
    t.observe(test::udp(1000, kB, 53, kA, 50000, 120));
    const auto recs = test::records(t, 1000);
    ASSERT_EQ(recs.size(), 1U);
    EXPECT_EQ(recs[0].source_ip, kA);
    EXPECT_EQ(recs[0].source_port, 50000);
    EXPECT_EQ(recs[0].destination_port, 53);
    EXPECT_EQ(recs[0].packets_received, 1U);
    // Between two ephemeral ports the first sender stays the source.
    FlowTable u;
    u.observe(test::udp(1000, kB, 45000, kA, 50000));
    EXPECT_EQ(test::records(u, 1000)[0].source_port, 45000);
}

TEST(FlowTable, SynSenderIsSourceEvenWhenSecond) {
    // The SYN/ACK's receiver is the initiator even if the SYN was missed.
    FlowTable t;
    t.observe(test::tcp(0, kB, 80, kA, 40000, {flag::kSyn | flag::kAck, 1, 2}));
    const auto recs = test::records(t, 0);
    ASSERT_EQ(recs.size(), 1U);
    EXPECT_EQ(recs[0].source_ip, kA);
    EXPECT_EQ(recs[0].source_port, 40000);

    FlowTable u;
    u.observe(test::tcp(0, kB, 80, kA, 40000, {flag::kSyn, 1, 0}));
    EXPECT_EQ(test::records(u, 0)[0].source_ip, kB);
}

TEST(FlowTable, LiveModeSourceIsTheLocalSide) {
    FlowTableConfig cfg;
    cfg.local_addresses = {kC, kB};
    FlowTable t(cfg);
    // A remote client connects to local B: B is still the source.
    t.observe(test::tcp(0, kA, 40000, kB, 22, {flag::kSyn, 1, 0}));
    t.observe(test::tcp(1, kB, 22, kA, 40000, {flag::kSyn | flag::kAck, 9, 2}));
    // Both local (B -> C): falls back to the initiator rule.
    t.observe(test::udp(2, kC, 7, kB, 9));
    const auto recs = test::records(t, 2);
    ASSERT_EQ(recs.size(), 2U);
    EXPECT_EQ(recs[0].source_ip, kB);
    EXPECT_EQ(recs[0].source_port, 22);
    EXPECT_EQ(recs[0].packets_sent, 1U);  // the SYN/ACK
    EXPECT_EQ(recs[0].packets_received, 1U);
    EXPECT_EQ(recs[1].source_ip, kC);
}

TEST(FlowTable, VlanSeparatesFlows) {
    FlowTable t;
    auto f = test::udp(0, kA, 1, kB, 2);
    f.vlan_depth = 1;
    f.vlan_outer = 10;
    t.observe(f);
    f.vlan_outer = 20;
    t.observe(f);
    EXPECT_EQ(t.active_count(), 2U);
    const auto recs = test::records(t, 0);
    EXPECT_EQ(recs[0].vlan, 10);
    EXPECT_EQ(recs[1].vlan, 20);
}

TEST(FlowTable, IcmpEchoPairsRequestAndReply) {
    FlowTable t;
    const auto dns = ip4(8, 8, 8, 8);
    t.observe(test::icmp_echo(0, kA, dns, 77, false));
    t.observe(test::icmp_echo(5 * kMs, dns, kA, 77, true));
    t.observe(test::icmp_echo(kSecond, kA, dns, 77, false));
    t.observe(test::icmp_echo(kSecond, kA, dns, 78, false));  // another ping process
    t.observe(test::icmp_other(2 * kSecond, dns, kA, 3));     // unreachable
    const auto recs = test::records(t, 2 * kSecond);
    ASSERT_EQ(recs.size(), 3U);
    EXPECT_EQ(recs[0].protocol, FlowProtocol::icmp);
    EXPECT_EQ(recs[0].source_ip, kA);
    EXPECT_EQ(recs[0].source_port, 77);
    EXPECT_EQ(recs[0].destination_port, 77);
    EXPECT_EQ(recs[0].packets_sent, 2U);
    EXPECT_EQ(recs[0].packets_received, 1U);
    EXPECT_EQ(recs[1].source_port, 78);
    EXPECT_EQ(recs[2].source_ip, dns);
    EXPECT_EQ(recs[2].source_port, 0);
}

TEST(FlowTable, ArpPseudoFlow) {
    FlowTable t;
    t.observe(test::arp(0, kA, kB, 1));
    t.observe(test::arp(1, kB, kA, 2));
    const auto recs = test::records(t, 1);
    ASSERT_EQ(recs.size(), 1U);
    EXPECT_EQ(recs[0].protocol, FlowProtocol::arp);
    EXPECT_EQ(recs[0].source_ip, kA);
    EXPECT_EQ(recs[0].destination_ip, kB);
    EXPECT_EQ(recs[0].packets_sent, 1U);
    EXPECT_EQ(recs[0].packets_received, 1U);
    EXPECT_EQ(recs[0].bytes_sent, 60U);
}

TEST(FlowTable, NonFirstFragmentsAreUnattributed) {
    FlowTable t;
    auto first = test::udp(0, kA, 1, kB, 2, 1472);
    first.is_fragment = true;
    first.is_first_fragment = true;
    auto later = test::ip_frame(1, kA, kB, 600);
    later.ip_proto = 17;
    later.is_fragment = true;
    later.fragment_offset = 1480;
    EXPECT_TRUE(t.observe(first));
    EXPECT_FALSE(t.observe(later));
    decode::DecodedFrame non_ip;
    non_ip.network = decode::Network::other;
    EXPECT_FALSE(t.observe(non_ip));
    EXPECT_EQ(t.stats().unattributed_frames, 2U);
    EXPECT_EQ(t.active_count(), 1U);
    EXPECT_EQ(test::records(t, 1)[0].packets_sent, 1U);
}

TEST(FlowTable, DamagedTransportHeadersAreUnattributed) {
    FlowTable t;
    EXPECT_TRUE(t.observe(test::udp(0, kA, 1, kB, 2)));
    for (const auto kind : {decode::Anomaly::truncated_udp, decode::Anomaly::bad_udp_length}) {
        auto bad = test::udp(1, kA, 1, kB, 2);
        bad.flag(kind);
        EXPECT_FALSE(t.observe(bad));
    }
    for (const auto kind : {decode::Anomaly::truncated_tcp, decode::Anomaly::bad_tcp_header_length}) {
        auto bad = test::tcp(2, kA, 3, kB, 4, {.flags = decode::tcp_flag::kSyn});
        bad.flag(kind);
        EXPECT_FALSE(t.observe(bad));
    }
    // Other anomalies (a snaplen cut in the payload, a bad option) keep the frame.
    auto cut = test::udp(3, kA, 1, kB, 2);
    cut.flag(decode::Anomaly::snaplen_truncated);
    EXPECT_TRUE(t.observe(cut));
    EXPECT_EQ(t.stats().unattributed_frames, 4U);
    EXPECT_EQ(t.active_count(), 1U);
    EXPECT_EQ(test::records(t, 1)[0].packets_sent, 2U);
}

TEST(FlowTable, RatesOverTheSlidingWindow) {
    FlowTable t;  // 5 s window: four whole buckets of 1.25 s
    const std::int64_t t0 = 10 * kSecond;  // a bucket starts here (8 x 1.25 s)
    const std::int64_t bucket = 1250 * kMs;
    for (int i = 0; i < 10; ++i) {
        const std::int64_t ts = t0 + i * 100 * kMs;
        t.observe(test::udp(ts, kA, 1, kB, 2, 958));  // 1000 bytes on the wire
        t.observe(test::udp(ts, kB, 2, kA, 1, 458));  // 500
    }
    // The bucket is still filling: no whole bucket has traffic yet.
    auto r = test::records(t, t0 + 900 * kMs)[0];
    EXPECT_DOUBLE_EQ(r.sent_bytes_per_s, 0.0);
    r = test::records(t, t0 + bucket)[0];
    EXPECT_DOUBLE_EQ(r.sent_bytes_per_s, 10000.0 / 5.0);
    EXPECT_DOUBLE_EQ(r.received_bytes_per_s, 5000.0 / 5.0);
    r = test::records(t, t0 + 5 * bucket - 1)[0];
    EXPECT_DOUBLE_EQ(r.sent_bytes_per_s, 2000.0);
    r = test::records(t, t0 + 5 * bucket)[0];
    EXPECT_DOUBLE_EQ(r.sent_bytes_per_s, 0.0);
    // New traffic after a long pause does not resurrect old buckets.
    t.observe(test::udp(t0 + 8 * kSecond, kA, 1, kB, 2, 458));
    r = test::records(t, t0 + 8 * kSecond + bucket)[0];
    EXPECT_DOUBLE_EQ(r.sent_bytes_per_s, 100.0);
    EXPECT_DOUBLE_EQ(r.received_bytes_per_s, 0.0);
}

TEST(FlowTable, ASteadyStreamReadsItsExactRate) {
    // 505.7 kB/s: 5057 bytes every 10 ms for 20 s. The window used to count
    // the bucket still filling against the whole window, and read low.
    FlowTable t;
    const std::int64_t t0 = 100 * kSecond;
    for (int i = 0; i < 2000; ++i) {
        const std::int64_t now = t0 + i * 10 * kMs;
        t.observe(test::udp(now, kA, 1, kB, 2, 5057 - 42));
        // Asked now and then while it streams, once the window is full.
        if (i >= 600 && i % 137 == 0) {
            const auto r = test::records(t, now)[0];
            EXPECT_NEAR(r.sent_bytes_per_s, 505'700.0, 1.0) << "at " << i * 10 << " ms";
        }
    }
}

TEST(FlowTable, AClosedConnectionHasNoRate) {
    FlowTable t;
    const std::int64_t t0 = 100 * kSecond;
    const auto seq = [](int i) { return static_cast<std::uint32_t>(1 + i * 1000); };
    for (int i = 0; i < 100; ++i) {
        t.observe(test::tcp(t0 + i * 10 * kMs, kA, 1000, kB, 80,
                            {.flags = flag::kAck, .seq = seq(i), .payload = 1000}));
    }
    ASSERT_GT(test::records(t, t0 + 2 * kSecond)[0].sent_bytes_per_s, 0.0);
    t.observe(test::tcp(t0 + 1010 * kMs, kA, 1000, kB, 80, {.flags = flag::kRst, .seq = seq(100)}));
    const auto r = test::records(t, t0 + 2 * kSecond)[0];
    EXPECT_EQ(r.state, snapshot::FlowState::closed);
    EXPECT_DOUBLE_EQ(r.sent_bytes_per_s, 0.0);
    EXPECT_DOUBLE_EQ(r.received_bytes_per_s, 0.0);
}

TEST(FlowTable, IdleExpiryPerProtocolTimeout) {
    FlowTable t;
    t.observe(test::tcp(0, kA, 1000, kB, 80, {flag::kSyn, 1, 0}));          // handshake 30 s
    t.observe(test::tcp(0, kA, 1001, kB, 80, {flag::kAck, 1, 1}));          // established 300 s
    t.observe(test::udp(0, kA, 1002, kB, 53));                              // 60 s
    t.observe(test::icmp_echo(0, kA, kB, 1, false));                        // 30 s
    t.observe(test::arp(0, kA, kB, 1));                                     // 60 s
    EXPECT_EQ(t.active_count(), 5U);
    t.expire(30 * kSecond);
    EXPECT_EQ(t.active_count(), 5U);
    t.expire(30 * kSecond + 1);
    EXPECT_EQ(t.active_count(), 3U);
    t.expire(60 * kSecond + 1);
    EXPECT_EQ(t.active_count(), 1U);
    t.expire(300 * kSecond);
    EXPECT_EQ(t.active_count(), 1U);
    t.expire(300 * kSecond + 1);
    EXPECT_EQ(t.active_count(), 0U);
    EXPECT_EQ(t.stats().expired, 5U);
    const auto recs = test::records(t, 400 * kSecond);
    ASSERT_EQ(recs.size(), 5U);
    for (const auto& r : recs) EXPECT_EQ(r.end_reason, EndReason::idle_timeout);
}

TEST(FlowTable, IdleFlowSeenAgainStartsAFreshFlow) {
    FlowTable t;  // no expire() call between the two packets
    t.observe(test::udp(0, kA, 1, kB, 2));
    t.observe(test::udp(61 * kSecond, kA, 1, kB, 2));
    EXPECT_EQ(t.active_count(), 1U);
    EXPECT_EQ(t.history_count(), 1U);
    EXPECT_EQ(t.stats().flows_created, 2U);
    EXPECT_EQ(t.stats().expired, 1U);
}

TEST(FlowTable, BusyFlowIsNotExpiredThoughItsListPlaceIsStale) {
    // A packet within the relink granularity (1 s here) does not move the
    // flow in its idle list; expire() must still judge by the real last_seen.
    FlowTable t;
    t.observe(test::udp(0, kA, 1, kB, 2));
    t.observe(test::udp(100 * kMs, kC, 1, kB, 2));
    t.observe(test::udp(500 * kMs, kA, 1, kB, 2));  // A stays listed at 0
    t.expire(60 * kSecond + 200 * kMs);             // C idle, A not (59.7 s)
    ASSERT_EQ(t.active_count(), 1U);
    EXPECT_EQ(test::records(t, 60 * kSecond)[0].source_ip, kA);
    t.expire(60 * kSecond + 500 * kMs);
    EXPECT_EQ(t.active_count(), 1U);
    t.expire(60 * kSecond + 500 * kMs + 1);
    EXPECT_EQ(t.active_count(), 0U);
    EXPECT_EQ(t.stats().expired, 2U);
}

TEST(FlowTable, CapEvictsTheIdlestAcrossClasses) {
    FlowTableConfig cfg;
    cfg.max_active_flows = 3;
    FlowTable t(cfg);
    t.observe(test::udp(1, kA, 1, kB, 2));                                 // UDP
    t.observe(test::tcp(2, kA, 3, kB, 4, {flag::kAck, 1, 1}));              // TCP
    t.observe(test::icmp_echo(3, kA, kB, 9, false));                       // ICMP
    t.observe(test::udp(4, kB, 2, kA, 1));                                 // UDP touched again
    t.observe(test::udp(5, kC, 1, kB, 2));                                 // at the cap
    EXPECT_EQ(t.active_count(), 3U);
    EXPECT_EQ(t.stats().evictions, 1U);
    snapshot::Snapshot snap;
    t.snapshot_into(snap, 5);
    ASSERT_EQ(snap.flows.size(), 4U);
    EXPECT_EQ(snap.flows[3].protocol, FlowProtocol::tcp);
    EXPECT_EQ(snap.flows[3].end_reason, EndReason::evicted);
    EXPECT_EQ(snap.counters.evictions, 1U);
    EXPECT_EQ(snap.counters.active_flows, 3U);
    EXPECT_EQ(snap.counters.flows, 4U);
}

TEST(FlowTable, HistoryIsBounded) {
    FlowTableConfig cfg;
    cfg.max_active_flows = 1;
    cfg.max_history = 2;
    FlowTable t(cfg);
    for (std::uint16_t i = 0; i < 6; ++i) t.observe(test::udp(i, kA, i, kB, 2));
    EXPECT_EQ(t.history_count(), 2U);
    EXPECT_EQ(t.stats().history_dropped, 3U);
    snapshot::Snapshot snap;
    t.snapshot_into(snap, 10);
    ASSERT_EQ(snap.flows.size(), 3U);
    EXPECT_EQ(snap.flows[0].source_port, 5);  // active
    EXPECT_EQ(snap.flows[1].source_port, 3);  // the two newest ended flows
    EXPECT_EQ(snap.flows[2].source_port, 4);
    EXPECT_EQ(snap.counters.history_dropped, 3U);
}

// Ended flows are numbered in the order they end; a consumer that had
// them up to N gets only the later ones, in the order a full snapshot
// lists them, and the active flows as always.
TEST(FlowTable, EndedFlowsAfterASequenceAreTheOnlyOnesListed) {
    FlowTableConfig cfg;
    cfg.max_active_flows = 1;
    cfg.max_history = 3;
    FlowTable t(cfg);
    EXPECT_EQ(t.end_sequence(), 0U);
    // Each new flow evicts the one before; first packet times go down so
    // that first_seen order (the snapshot's) is not end order.
    for (std::uint16_t i = 0; i < 6; ++i) t.observe(test::udp(100 - i, kA, i, kB, 2));
    EXPECT_EQ(t.end_sequence(), 5U);
    snapshot::Snapshot all;
    t.snapshot_into(all, 200);
    ASSERT_EQ(all.flows.size(), 4U);
    EXPECT_EQ(all.flows[0].end_sequence, 0U);  // active
    EXPECT_EQ(all.flows[0].source_port, 5);
    // The history keeps the three newest ended flows, by first packet.
    EXPECT_EQ(all.flows[1].source_port, 4);
    EXPECT_EQ(all.flows[1].end_sequence, 5U);
    EXPECT_EQ(all.flows[2].end_sequence, 4U);
    EXPECT_EQ(all.flows[3].end_sequence, 3U);

    snapshot::Snapshot newer;
    t.snapshot_into(newer, 200, 3);
    ASSERT_EQ(newer.flows.size(), 3U);
    EXPECT_EQ(newer.flows[0].source_port, 5);
    EXPECT_EQ(newer.flows[1].end_sequence, 5U);
    EXPECT_EQ(newer.flows[2].end_sequence, 4U);
    EXPECT_EQ(newer.counters.history_dropped, all.counters.history_dropped);

    snapshot::Snapshot none;
    t.snapshot_into(none, 200, t.end_sequence());
    ASSERT_EQ(none.flows.size(), 1U);
    EXPECT_EQ(none.flows[0].source_port, 5);
    // A consumer further behind than the history gets what is left of it.
    snapshot::Snapshot behind;
    t.snapshot_into(behind, 200, 1);
    EXPECT_EQ(behind.flows.size(), all.flows.size());
}

// Export deltas: only the active flows with a packet since the cut, or
// first seen since the later-flow bound, in the complete snapshot's order;
// the ended flows as ever.
TEST(FlowTable, ActiveSinceLeavesOutTheFlowsThatDidNotChange) {
    FlowTableConfig cfg;
    cfg.timeouts.tcp_closing_ns = 5;
    FlowTable t(cfg);
    // UDP from ports 1..6 first seen at 10..60; 2 and 5 get another packet
    // at 100. TCP from port 7 is reset at 110 and ends by 116.
    for (std::uint16_t i = 1; i <= 6; ++i) t.observe(test::udp(i * 10, kA, i, kB, 53));
    t.observe(test::udp(100, kB, 53, kA, 5));
    t.observe(test::udp(100, kA, 2, kB, 53));
    t.observe(test::tcp(20, kA, 7, kC, 80, {flag::kSyn}));
    t.observe(test::tcp(110, kA, 7, kC, 80, {flag::kRst}));
    t.expire(116);
    ASSERT_EQ(t.end_sequence(), 1U);
    snapshot::Snapshot all;
    t.snapshot_into(all, 120);
    ASSERT_EQ(all.flows.size(), 7U);

    auto ports = [](const snapshot::Snapshot& s) {
        std::vector<std::uint16_t> out;
        for (const auto& f : s.flows) out.push_back(f.source_port);
        return out;
    };
    snapshot::Snapshot changed;
    t.snapshot_into(changed, 120, 0, ActiveSince{100, 1000});
    // Active 2 and 5 (a packet at the cut counts), then the ended flow.
    EXPECT_EQ(ports(changed), (std::vector<std::uint16_t>{2, 5, 7}));
    EXPECT_EQ(changed.flows.back().end_reason, EndReason::reset);
    EXPECT_EQ(changed.counters.active_flows, all.counters.active_flows);

    snapshot::Snapshot recent;
    t.snapshot_into(recent, 120, t.end_sequence(), ActiveSince{101, 40});
    // Nothing seen after 101; 4, 5 and 6 were first seen at 40 or later.
    EXPECT_EQ(ports(recent), (std::vector<std::uint16_t>{4, 5, 6}));
    // The records are those of the complete snapshot.
    for (const auto& f : recent.flows) {
        const auto it = std::find_if(all.flows.begin(), all.flows.end(), [&](const FlowRecord& a) {
            return a.source_port == f.source_port;
        });
        ASSERT_NE(it, all.flows.end());
        EXPECT_EQ(it->bytes_sent, f.bytes_sent);
        EXPECT_EQ(it->last_seen_ns, f.last_seen_ns);
    }
    // Streaming names the same flows.
    std::vector<std::uint16_t> streamed;
    t.for_each_record(
        120, [&](FlowRecord& r) { streamed.push_back(r.source_port); }, 0, ActiveSince{100, 1000});
    EXPECT_EQ(streamed, ports(changed));
    // The default is every flow.
    snapshot::Snapshot again;
    t.snapshot_into(again, 120, 0, ActiveSince{});
    EXPECT_EQ(ports(again), ports(all));
}

// The batch path (look_ahead, prefetch, observe with the lookahead) only
// hints the memory: two tables fed the same frames, one each way, agree
// on every handle and record, through evictions, reuse and expiry.
TEST(FlowTable, ObserveWithLookaheadIsObserve) {
    FlowTableConfig cfg;
    cfg.max_active_flows = 64;
    cfg.timeouts.udp_ns = 50 * kMs;
    FlowTable plain(cfg);
    FlowTable batched(cfg);
    std::vector<decode::DecodedFrame> frames;
    for (std::uint32_t i = 0; i < 3000; ++i) {
        const auto flow = static_cast<std::uint16_t>((i * 7919U) % 150U);
        const std::int64_t ts = std::int64_t{i} * kMs / 4;
        frames.push_back(i % 3 == 0 ? test::udp(ts, kB, 53, kA, flow)
                                    : test::udp(ts, kA, flow, kB, 53, 40 + flow));
    }
    decode::DecodedFrame non_ip;
    non_ip.network = decode::Network::other;
    frames.insert(frames.begin() + 100, non_ip);
    std::array<FlowLookahead, 16> ahead;
    for (std::size_t at = 0; at < frames.size(); at += ahead.size()) {
        const std::size_t n = std::min(ahead.size(), frames.size() - at);
        for (std::size_t k = 0; k < n; ++k) batched.look_ahead(frames[at + k], ahead[k]);
        for (std::size_t k = 0; k < n; ++k) batched.prefetch(ahead[k]);
        for (std::size_t k = 0; k < n; ++k) {
            const FlowHandle a = plain.observe(frames[at + k]);
            const FlowHandle b = batched.observe(frames[at + k], ahead[k]);
            ASSERT_EQ(a.slot, b.slot) << at + k;
            ASSERT_EQ(a.serial, b.serial) << at + k;
            ASSERT_EQ(a.created, b.created) << at + k;
            ASSERT_EQ(a.from_source, b.from_source) << at + k;
        }
    }
    EXPECT_EQ(plain.stats().unattributed_frames, 1U);
    EXPECT_EQ(batched.stats().unattributed_frames, 1U);
    EXPECT_GT(plain.stats().evictions + plain.stats().expired, 0U);
    snapshot::Snapshot x;
    snapshot::Snapshot y;
    plain.snapshot_into(x, 1000 * kMs);
    batched.snapshot_into(y, 1000 * kMs);
    ASSERT_EQ(x.flows.size(), y.flows.size());
    for (std::size_t i = 0; i < x.flows.size(); ++i) {
        EXPECT_EQ(x.flows[i].source_port, y.flows[i].source_port) << i;
        EXPECT_EQ(x.flows[i].packets_sent, y.flows[i].packets_sent) << i;
        EXPECT_EQ(x.flows[i].bytes_received, y.flows[i].bytes_received) << i;
        EXPECT_EQ(x.flows[i].end_sequence, y.flows[i].end_sequence) << i;
        EXPECT_EQ(x.flows[i].end_reason, y.flows[i].end_reason) << i;
    }
    EXPECT_EQ(x.counters.flows, y.counters.flows);
}

TEST(FlowTable, SnapshotOrderAndUntouchedCounters) {
    FlowTable t;
    t.observe(test::udp(50, kB, 9, kA, 1));
    t.observe(test::udp(10, kC, 1, kA, 1));
    t.observe(test::udp(10, kA, 2, kB, 1));  // same first_seen: tuple order
    snapshot::Snapshot snap;
    snap.counters.packets = 42;
    snap.counters.unattributed = 7;
    t.snapshot_into(snap, 60);
    ASSERT_EQ(snap.flows.size(), 3U);
    EXPECT_EQ(snap.flows[0].source_ip, kA);
    EXPECT_EQ(snap.flows[1].source_ip, kC);
    EXPECT_EQ(snap.flows[2].source_ip, kB);
    EXPECT_EQ(snap.counters.packets, 42U);
    EXPECT_EQ(snap.counters.unattributed, 7U);
    EXPECT_EQ(snap.counters.flows, 3U);
}

decode::DecodedFrame nth_flow(std::uint32_t i, std::int64_t ts) {
    const auto src = core::IpAddress::v4(0x0A00'0000U | (i >> 16U));
    return test::udp(ts, src, static_cast<std::uint16_t>(i), kB, 53, 20);
}

TEST(FlowTable, MemoryPerFlowAtHundredThousandFlows) {
    FlowTable t;  // default cap: 100 000
    for (std::uint32_t i = 0; i < 100'000; ++i) ASSERT_TRUE(t.observe(nth_flow(i, i)));
    ASSERT_EQ(t.active_count(), 100'000U);
    const double per_flow = static_cast<double>(t.memory_bytes()) / 100'000.0;
    RecordProperty("bytes_per_flow", std::to_string(per_flow));
    EXPECT_LE(per_flow, 512.0);
}

TEST(FlowTable, MillionFlowsRespectTheCap) {
    FlowTable t;
    for (std::uint32_t i = 0; i < 1'000'000; ++i) {
        t.observe(nth_flow(i, i));
        ASSERT_LE(t.active_count(), 100'000U);
    }
    EXPECT_EQ(t.active_count(), 100'000U);
    EXPECT_EQ(t.stats().evictions, 900'000U);
    EXPECT_EQ(t.stats().flows_created, 1'000'000U);
    EXPECT_EQ(t.history_count(), 10'000U);
    // The survivors are the newest flows and stay findable.
    t.observe(nth_flow(999'999, 2'000'000));
    EXPECT_EQ(t.stats().flows_created, 1'000'000U);
    t.observe(nth_flow(0, 2'000'001));
    EXPECT_EQ(t.stats().flows_created, 1'000'001U);
}

TEST(FlowTable, MovedTableKeepsItsFlows) {
    FlowTable a;
    a.observe(test::udp(0, kA, 1, kB, 2));
    FlowTable b(std::move(a));
    EXPECT_EQ(b.active_count(), 1U);
    b.observe(test::udp(1, kB, 2, kA, 1));
    EXPECT_EQ(b.active_count(), 1U);
}

}  // namespace
}  // namespace sockeye::flow

namespace sockeye::flow {
namespace {

TEST(FlowTableHandles, HandleNamesSlotSerialAndDirection) {
    FlowTable t;
    const FlowHandle a = t.observe(test::udp(0, kA, 1000, kB, 53));
    const FlowHandle b = t.observe(test::udp(1, kB, 53, kA, 1000));
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    EXPECT_EQ(a.slot, b.slot);
    EXPECT_EQ(a.serial, b.serial);
    EXPECT_TRUE(a.from_source);
    EXPECT_FALSE(b.from_source);
    decode::DecodedFrame non_ip;
    non_ip.network = decode::Network::other;
    EXPECT_FALSE(t.observe(non_ip));
}

TEST(FlowTableHandles, AttachedAppFollowsTheFlowIntoHistoryButNotIntoItsSlotsNextFlow) {
    FlowTableConfig config;
    config.timeouts.udp_ns = 10 * test::kMs;
    FlowTable t(config);
    const FlowHandle first = t.observe(test::udp(0, kA, 1000, kB, 53));
    auto info = std::make_shared<snapshot::AppInfo>();
    info->protocol = "DNS";
    info->domain = "example.com";
    t.attach_app(first, info);
    auto active = test::records(t, 1);
    ASSERT_EQ(active.size(), 1U);
    ASSERT_TRUE(active[0].app);
    EXPECT_EQ(active[0].app->domain, "example.com");

    t.expire(100 * test::kMs);  // the flow ends; its slot is free again
    const FlowHandle second = t.observe(test::udp(200 * test::kMs, kA, 2000, kB, 53));
    EXPECT_EQ(second.slot, first.slot);
    EXPECT_NE(second.serial, first.serial);
    t.attach_app(first, info);  // stale handle: ignored
    const auto all = test::records(t, 200 * test::kMs);
    ASSERT_EQ(all.size(), 2U);
    EXPECT_FALSE(all[0].app);            // the new, active flow
    ASSERT_TRUE(all[1].app);             // the ended one, from history
    EXPECT_EQ(all[1].app->protocol, "DNS");
}

}  // namespace
}  // namespace sockeye::flow

namespace sockeye::flow {
namespace {

TEST(FlowTableHandles, LiveSourceIsLocalButInitiatorIsWhoOpened) {
    FlowTableConfig config;
    config.local_addresses = {kB};  // we are the server B
    FlowTable t(config);
    const FlowHandle syn = t.observe(test::tcp(0, kA, 40000, kB, 443, {.flags = decode::tcp_flag::kSyn}));
    const FlowHandle syn_ack = t.observe(test::tcp(
        1, kB, 443, kA, 40000, {.flags = decode::tcp_flag::kSyn | decode::tcp_flag::kAck}));
    EXPECT_FALSE(syn.from_source);  // the record's source is the local side, B
    EXPECT_TRUE(syn.from_initiator);
    EXPECT_TRUE(syn_ack.from_source);
    EXPECT_FALSE(syn_ack.from_initiator);
}

}  // namespace
}  // namespace sockeye::flow
