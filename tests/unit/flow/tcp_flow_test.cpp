// TCP through the whole table: states, generations, analysis counters, RTT.
#include <gtest/gtest.h>

#include "flow/flow_table.hpp"
#include "flow/rtt.hpp"
#include "unit/flow/frame_builder.hpp"

namespace sockeye::flow {
namespace {

namespace flag = decode::tcp_flag;
using snapshot::EndReason;
using snapshot::FlowRecord;
using snapshot::FlowState;
using test::kMs;
using test::Tcp;

constexpr std::uint8_t kSyn = flag::kSyn;
constexpr std::uint8_t kSynAck = flag::kSyn | flag::kAck;
constexpr std::uint8_t kAck = flag::kAck;
constexpr std::uint8_t kData = flag::kAck | flag::kPsh;
constexpr std::uint8_t kFinAck = flag::kFin | flag::kAck;
constexpr std::int64_t kT0 = 1'700'000'000'000'000'000;

// A client and server with helpers that feed one segment and return the flow.
class TcpFlowTest : public ::testing::Test {
protected:
    FlowRecord client(std::int64_t t, Tcp seg) { return send(test::tcp(t, c_, 40000, s_, 80, seg), t); }
    FlowRecord server(std::int64_t t, Tcp seg) { return send(test::tcp(t, s_, 80, c_, 40000, seg), t); }

    FlowRecord send(const decode::DecodedFrame& f, std::int64_t t) {
        EXPECT_TRUE(table_.observe(f));
        const auto recs = test::records(table_, t);
        EXPECT_FALSE(recs.empty());
        return recs.empty() ? FlowRecord{} : recs.front();
    }

    // SYN at kT0, SYN/ACK +20 ms, ACK +30 ms. ISNs 100 (client), 500 (server).
    void handshake() {
        client(kT0, {kSyn, 100, 0});
        server(kT0 + 20 * kMs, {kSynAck, 500, 101});
        client(kT0 + 30 * kMs, {kAck, 101, 501});
    }

    core::IpAddress c_ = test::ip4(10, 0, 0, 1);
    core::IpAddress s_ = test::ip4(10, 0, 0, 2);
    FlowTable table_;
};

TEST_F(TcpFlowTest, FullLifecycle) {
    EXPECT_EQ(client(kT0, {kSyn, 100, 0}).state, FlowState::syn_sent);
    EXPECT_EQ(server(kT0 + 20 * kMs, {kSynAck, 500, 101}).state, FlowState::syn_received);
    FlowRecord r = client(kT0 + 30 * kMs, {kAck, 101, 501});
    EXPECT_EQ(r.state, FlowState::established);
    EXPECT_EQ(r.handshake_rtt_ns, 30 * kMs);
    // Responder half 20 ms (SYN -> SYN/ACK) + initiator half 10 ms.
    EXPECT_EQ(r.srtt_ns, 30 * kMs);

    client(kT0 + 40 * kMs, {kData, 101, 501, 100});
    server(kT0 + 60 * kMs, {kAck, 501, 201});
    EXPECT_EQ(client(kT0 + 100 * kMs, {kFinAck, 201, 501}).state, FlowState::fin_wait_1);
    EXPECT_EQ(server(kT0 + 110 * kMs, {kAck, 501, 202}).state, FlowState::close_wait);
    EXPECT_EQ(server(kT0 + 120 * kMs, {kFinAck, 501, 202}).state, FlowState::last_ack);
    r = client(kT0 + 130 * kMs, {kAck, 202, 502});
    EXPECT_EQ(r.state, FlowState::time_wait);
    EXPECT_EQ(r.end_reason, EndReason::active);
    EXPECT_EQ(r.packets_sent, 5U);
    EXPECT_EQ(r.packets_received, 4U);
    EXPECT_EQ(r.bytes_sent, 5U * 54U + 100U);
    EXPECT_EQ(r.bytes_received, 4U * 54U);
    EXPECT_EQ(r.source_ip, c_);
    EXPECT_EQ(r.source_port, 40000);
    EXPECT_EQ(r.retransmits + r.out_of_order + r.duplicate_acks, 0U);

    // Still visible while the closing timeout runs, then history.
    table_.expire(kT0 + 130 * kMs + 10 * kSecond);
    EXPECT_EQ(table_.active_count(), 1U);
    table_.expire(kT0 + 130 * kMs + 10 * kSecond + 1);
    EXPECT_EQ(table_.active_count(), 0U);
    const auto recs = test::records(table_, kT0 + 20 * kSecond);
    ASSERT_EQ(recs.size(), 1U);
    EXPECT_EQ(recs[0].end_reason, EndReason::fin);
    EXPECT_EQ(recs[0].state, FlowState::closed);
}

TEST_F(TcpFlowTest, SimultaneousCloseGoesThroughClosing) {
    handshake();
    client(kT0 + kSecond, {kFinAck, 101, 501});
    EXPECT_EQ(server(kT0 + kSecond, {kFinAck, 501, 101}).state, FlowState::closing);
    client(kT0 + kSecond, {kAck, 102, 502});
    EXPECT_EQ(server(kT0 + kSecond, {kAck, 502, 102}).state, FlowState::time_wait);
}

TEST_F(TcpFlowTest, ResetClosesAndReportsReset) {
    handshake();
    FlowRecord r = server(kT0 + kSecond, {flag::kRst | flag::kAck, 501, 101});
    EXPECT_EQ(r.state, FlowState::closed);
    table_.expire(kT0 + 12 * kSecond);
    const auto recs = test::records(table_, kT0 + 12 * kSecond);
    ASSERT_EQ(recs.size(), 1U);
    EXPECT_EQ(recs[0].end_reason, EndReason::reset);
    EXPECT_EQ(recs[0].state, FlowState::closed);
}

TEST_F(TcpFlowTest, MidStreamPickupIsEstablished) {
    // The capture starts inside a download: the server speaks first, but
    // port 80 facing port 40000 makes the client the source.
    const FlowRecord r = server(kT0, {kData, 9000, 7000, 500});
    EXPECT_EQ(r.state, FlowState::established);
    EXPECT_EQ(r.source_ip, c_);
    EXPECT_EQ(r.source_port, 40000);
    EXPECT_EQ(r.bytes_received, 54U + 500U);
    EXPECT_EQ(r.bytes_sent, 0U);
    EXPECT_EQ(r.handshake_rtt_ns, -1);
}

// Mid-connection first frames, sent by `first` (the other side answers):
// which side the record makes its source.
struct PortCase {
    std::uint16_t first_port, other_port;
    bool first_is_source;
};

TEST(TcpFlowDirection, PortsOrientFlowsFirstSeenWithoutTheirSyn) {
    const PortCase cases[] = {
        {443, 51000, false},   // system port vs ephemeral: the server spoke first
        {53, 18741, false},    // a resolver answering a randomised client port
        {22, 1500, false},     // system port vs an old BSD-style client port
        {9000, 40404, false},  // registered vs ephemeral (Linux range)
        {5432, 3000, false},   // a listed service port vs a registered one
        {51000, 443, true},    // the client spoke first: unchanged
        {40000, 8080, true},
        {40000, 50000, true},  // both ephemeral: the ports do not tell, first sender
        {3000, 4000, true},    // both registered
        {20, 21, true},        // both system
        {700, 2049, true},     // NFS from a reserved port: both servers' ports
        {2049, 700, true},
        {1234, 1234, true},    // equal
    };
    for (const auto& c : cases) {
        FlowTable table;
        const auto first = test::ip4(10, 0, 0, 9);
        const auto other = test::ip4(10, 0, 0, 1);
        table.observe(test::tcp(kT0, first, c.first_port, other, c.other_port, {kData, 1, 1, 1000}));
        table.observe(test::tcp(kT0 + kMs, other, c.other_port, first, c.first_port, {kAck, 1, 1001}));
        const auto recs = test::records(table, kT0 + kMs);
        ASSERT_EQ(recs.size(), 1U);
        EXPECT_EQ(recs[0].source_ip == first, c.first_is_source) << c.first_port << " -> " << c.other_port;
        EXPECT_EQ(recs[0].source_port, c.first_is_source ? c.first_port : c.other_port);
        // The counters follow the source.
        EXPECT_EQ(c.first_is_source ? recs[0].bytes_sent : recs[0].bytes_received, 54U + 1000U);
    }
}

TEST(TcpFlowDirection, SynAndSynAckDecideWhateverThePorts) {
    // A SYN from port 80 to port 40000 (active FTP data, say) is believed.
    FlowTable table;
    const auto a = test::ip4(10, 0, 0, 9);
    const auto b = test::ip4(10, 0, 0, 1);
    table.observe(test::tcp(kT0, a, 80, b, 40000, {kSyn, 1, 0}));
    auto recs = test::records(table, kT0);
    ASSERT_EQ(recs.size(), 1U);
    EXPECT_EQ(recs[0].source_port, 80);
    FlowTable table2;
    table2.observe(test::tcp(kT0, b, 40000, a, 80, {kSynAck, 1, 2}));
    recs = test::records(table2, kT0);
    ASSERT_EQ(recs.size(), 1U);
    EXPECT_EQ(recs[0].source_port, 80);  // the SYN/ACK's receiver
}

TEST_F(TcpFlowTest, SynAckFirstMakesItsReceiverTheSource) {
    const FlowRecord r = server(kT0, {kSynAck, 500, 101});
    EXPECT_EQ(r.state, FlowState::syn_received);
    EXPECT_EQ(r.source_ip, c_);
    EXPECT_EQ(r.packets_received, 1U);
    EXPECT_EQ(client(kT0 + kMs, {kAck, 101, 501}).state, FlowState::established);
}

TEST_F(TcpFlowTest, SynAfterCloseStartsNewGeneration) {
    handshake();
    server(kT0 + kSecond, {flag::kRst | flag::kAck, 501, 101});
    // Retransmissions or stray ACKs on the closed tuple stay on it.
    client(kT0 + kSecond + kMs, {kAck, 101, 501});
    EXPECT_EQ(table_.stats().flows_created, 1U);
    const FlowRecord r = client(kT0 + 2 * kSecond, {kSyn, 9000, 0});
    EXPECT_EQ(r.state, FlowState::syn_sent);
    EXPECT_EQ(r.generation, 1U);
    EXPECT_EQ(r.packets_sent, 1U);
    EXPECT_EQ(table_.stats().flows_created, 2U);
    EXPECT_EQ(table_.history_count(), 1U);
    const auto recs = test::records(table_, kT0 + 2 * kSecond);
    ASSERT_EQ(recs.size(), 2U);
    EXPECT_EQ(recs[1].generation, 0U);
    EXPECT_EQ(recs[1].end_reason, EndReason::reset);
}

TEST_F(TcpFlowTest, SynAfterTimeWaitStartsNewGeneration) {
    handshake();
    client(kT0 + kSecond, {kFinAck, 101, 501});
    server(kT0 + kSecond, {kFinAck, 501, 102});
    client(kT0 + kSecond, {kAck, 102, 502});
    const FlowRecord r = client(kT0 + 2 * kSecond, {kSyn, 7, 0});
    EXPECT_EQ(r.generation, 1U);
    const auto recs = test::records(table_, kT0 + 2 * kSecond);
    ASSERT_EQ(recs.size(), 2U);
    EXPECT_EQ(recs[1].end_reason, EndReason::fin);
}

TEST_F(TcpFlowTest, CountsRetransmitsOutOfOrderAndDuplicateAcks) {
    handshake();
    const std::int64_t t = kT0 + kSecond;
    client(t, {kData, 101, 501, 100});        // 101..201
    client(t + 1, {kData, 101, 501, 100});    // retransmission
    client(t + 2, {kData, 301, 501, 100});    // gap 201..301: out of order
    client(t + 3, {kData, 401, 501, 100});
    server(t + 4, {kAck, 501, 201});          // acks up to the hole
    server(t + 5, {kAck, 501, 201});          // dup
    server(t + 6, {kAck, 501, 201});          // dup
    client(t + 7, {kData, 201, 501, 100});    // fills the hole
    const FlowRecord r = server(t + 8, {kAck, 501, 501});
    EXPECT_EQ(r.retransmits, 1U);
    EXPECT_EQ(r.out_of_order, 1U);
    EXPECT_EQ(r.duplicate_acks, 2U);
}

TEST_F(TcpFlowTest, SequenceWrapDoesNotLookLikeLossOrReordering) {
    client(kT0, {kSyn, 0xFFFF'FF00U, 0});
    server(kT0 + kMs, {kSynAck, 0xFFFF'FFF0U, 0xFFFF'FF01U});
    client(kT0 + 2 * kMs, {kAck, 0xFFFF'FF01U, 0xFFFF'FFF1U});
    std::uint32_t seq = 0xFFFF'FF01U;
    for (int i = 0; i < 10; ++i) {
        client(kT0 + (3 + i) * kMs, {kData, seq, 0xFFFF'FFF1U, 100});
        seq += 100;
    }
    std::uint32_t sseq = 0xFFFF'FFF1U;
    for (int i = 0; i < 10; ++i) {
        server(kT0 + (20 + i) * kMs, {kData, sseq, seq, 10});
        sseq += 10;
    }
    const FlowRecord r = client(kT0 + 40 * kMs, {kAck, seq, sseq});
    EXPECT_EQ(r.retransmits, 0U);
    EXPECT_EQ(r.out_of_order, 0U);
    EXPECT_EQ(r.duplicate_acks, 0U);
    EXPECT_EQ(r.state, FlowState::established);
}

TEST_F(TcpFlowTest, HandshakeRttUsesTheLatestSyn) {
    client(kT0, {kSyn, 100, 0});
    client(kT0 + kSecond, {kSyn, 100, 0});  // retransmitted SYN
    server(kT0 + kSecond + 5 * kMs, {kSynAck, 500, 101});
    const FlowRecord r = client(kT0 + kSecond + 7 * kMs, {kAck, 101, 501});
    EXPECT_EQ(r.handshake_rtt_ns, 7 * kMs);
    EXPECT_EQ(r.retransmits, 1U);
    // Karn: the retransmitted SYN is not timed; only the initiator half
    // (SYN/ACK -> ACK, 2 ms) is a sample.
    EXPECT_EQ(r.srtt_ns, 2 * kMs);
}

TEST_F(TcpFlowTest, SmoothedRttFollowsRfc6298) {
    handshake();  // client-data half: 20 ms; server-data half: 10 ms
    // Client data timed at +100 ms, acked at +140 ms: sample 40 ms.
    client(kT0 + 100 * kMs, {kData, 101, 501, 100});
    server(kT0 + 140 * kMs, {kAck, 501, 201});
    // SRTT(client data) = 7/8 * 20 + 1/8 * 40 = 22.5 ms.
    FlowRecord r = client(kT0 + 150 * kMs, {kData, 201, 501, 100});
    EXPECT_EQ(r.srtt_ns, 22'500'000 + 10 * kMs);
    // Retransmitting the timed segment cancels its timing (Karn).
    client(kT0 + 400 * kMs, {kData, 201, 501, 100});
    r = server(kT0 + 410 * kMs, {kAck, 501, 301});
    EXPECT_EQ(r.srtt_ns, 22'500'000 + 10 * kMs);
}

TEST_F(TcpFlowTest, TimestampEchoGivesSamples) {
    handshake();
    auto data = test::tcp(kT0 + 100 * kMs, c_, 40000, s_, 80, {kData, 101, 501, 100});
    data.tcp.has_timestamps = true;
    data.tcp.ts_val = 1000;
    table_.observe(data);
    // The server's ACK echoes TSval 1000 but acks only part of the data
    // (so the sequence method has no sample): 8 ms from the echo alone.
    auto ack = test::tcp(kT0 + 108 * kMs, s_, 80, c_, 40000, {kAck, 501, 150});
    ack.tcp.has_timestamps = true;
    ack.tcp.ts_val = 50;
    ack.tcp.ts_ecr = 1000;
    const FlowRecord r = send(ack, kT0 + 108 * kMs);
    // Client-data half: 7/8 * 20 + 1/8 * 8 = 18.5 ms; server half 10 ms.
    EXPECT_EQ(r.srtt_ns, 18'500'000 + 10 * kMs);
}

// A download captured on the client: the server's data is acked by the
// client's delayed ACKs (40 ms here). The flow's RTT is the network's half,
// not network + this host's ACK delay.
TEST(TcpLocalRtt, ALocalFlowReportsTheNetworkHalfOnly) {
    const auto local = test::ip4(10, 0, 0, 1), remote = test::ip4(10, 0, 0, 2);
    auto download = [&](FlowTable& table) {
        auto c = [&](std::int64_t t, Tcp seg) { table.observe(test::tcp(t, local, 40000, remote, 443, seg)); };
        auto s = [&](std::int64_t t, Tcp seg) { table.observe(test::tcp(t, remote, 443, local, 40000, seg)); };
        c(kT0, {kSyn, 100, 0});
        s(kT0 + 10 * kMs, {kSynAck, 500, 101});  // 10 ms away
        c(kT0 + 10 * kMs + 50'000, {kAck, 101, 501});
        std::uint32_t sseq = 501;
        for (int i = 0; i < 20; ++i) {
            const std::int64_t t = kT0 + (100 + 100 * i) * kMs;
            s(t, {kData, sseq, 101, 1000});
            sseq += 1000;
            c(t + 40 * kMs, {kAck, 101, sseq});  // the client's delayed ACK
        }
        return test::records(table, kT0 + 3 * kSecond)[0];
    };
    FlowTableConfig live;
    live.local_addresses = {local};
    FlowTable on_the_client(live);
    const FlowRecord r = download(on_the_client);
    EXPECT_EQ(r.srtt_ns, 10 * kMs);  // the handshake's SYN -> SYN/ACK half

    // From a capture file (no local address known) both halves count, as a
    // capture point between the hosts sees them.
    FlowTable from_a_file;
    EXPECT_GT(download(from_a_file).srtt_ns, 45 * kMs);
}

TEST(TcpLocalRtt, TheLocalSidesDataGivesTheNetworkHalf) {
    const auto local = test::ip4(10, 0, 0, 1), remote = test::ip4(10, 0, 0, 2);
    FlowTableConfig live;
    live.local_addresses = {local};
    FlowTable table(live);
    // A server here (the remote opened the connection), sending data the
    // remote acks 12 ms later; the remote's requests wait 40 ms for our ACK.
    table.observe(test::tcp(kT0, remote, 50000, local, 22, {kSyn, 100, 0}));
    table.observe(test::tcp(kT0 + 50'000, local, 22, remote, 50000, {kSynAck, 500, 101}));
    table.observe(test::tcp(kT0 + 12 * kMs, remote, 50000, local, 22, {kAck, 101, 501}));
    EXPECT_EQ(test::records(table, kT0 + 12 * kMs)[0].srtt_ns, 12 * kMs - 50'000);
    std::uint32_t seq = 501;
    for (int i = 0; i < 10; ++i) {
        const std::int64_t t = kT0 + (100 + 100 * i) * kMs;
        table.observe(test::tcp(t, local, 22, remote, 50000, {kData, seq, 101, 500}));
        seq += 500;
        table.observe(test::tcp(t + 12 * kMs, remote, 50000, local, 22, {kAck, 101, seq}));
    }
    // Smoothed from the SYN/ACK's 11.95 ms towards 12 ms; the 40 ms never count.
    EXPECT_NEAR(static_cast<double>(test::records(table, kT0 + 2 * kSecond)[0].srtt_ns),
                12.0 * kMs, 0.1 * kMs);
}

TEST(RttEstimator, FirstSampleThenSmoothing) {
    RttEstimator e;
    EXPECT_FALSE(e.known());
    e.add_sample(80 * kMs);
    EXPECT_EQ(e.srtt_ns(), 80 * kMs);
    EXPECT_EQ(e.rttvar_ns(), 40 * kMs);
    e.add_sample(160 * kMs);
    // RTTVAR = 3/4 * 40 + 1/4 * |80 - 160| = 50; SRTT = 7/8 * 80 + 1/8 * 160 = 90.
    EXPECT_EQ(e.rttvar_ns(), 50 * kMs);
    EXPECT_EQ(e.srtt_ns(), 90 * kMs);
}

// A gap in the capture is not a round trip; the largest real one still counts.
TEST(RttEstimator, IgnoresSamplesLongerThanAnyRoundTrip) {
    RttEstimator e;
    e.add_sample(std::int64_t{54} * 365 * 24 * 3600 * 1'000'000'000);  // a fuzzed timestamp jump
    EXPECT_FALSE(e.known());
    e.add_sample(80 * kMs);
    e.add_sample(RttEstimator::kMaxSampleNs + 1);
    EXPECT_EQ(e.srtt_ns(), 80 * kMs);
    e.add_sample(RttEstimator::kMaxSampleNs);
    EXPECT_EQ(e.srtt_ns(), (7 * 80 * kMs + RttEstimator::kMaxSampleNs) / 8);
}

}  // namespace
}  // namespace sockeye::flow
