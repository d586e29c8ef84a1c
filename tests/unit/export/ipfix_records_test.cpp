#include "export/ipfix_records.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <tuple>
#include <vector>

namespace sockeye::exports {
namespace {

using snapshot::EndReason;
using snapshot::FlowProtocol;
using snapshot::FlowRecord;
using snapshot::FlowState;

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kT0 = std::int64_t{1'700'000'000} * kSecond;

FlowRecord tcp_flow() {
    FlowRecord f;
    f.protocol = FlowProtocol::tcp;
    f.ip_proto = 6;
    f.source_ip = core::IpAddress::parse("10.0.0.1");
    f.destination_ip = core::IpAddress::parse("10.0.0.2");
    f.source_port = 50000;
    f.destination_port = 443;
    f.state = FlowState::established;
    f.handshake_rtt_ns = 1'000'000;
    f.first_seen_ns = kT0 + 123'456'789;
    f.last_seen_ns = kT0 + 5 * kSecond + 987'654'321;
    f.packets_sent = 10;
    f.packets_received = 8;
    f.bytes_sent = 1000;
    f.bytes_received = 9000;
    return f;
}

TEST(IpfixRecords, TcpFlowMapsToABiflowRecord) {
    FlowRecord f = tcp_flow();
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->pid = 321;
    p->name = "firefox";
    p->user = "bob";
    f.process = p;
    auto app = std::make_shared<snapshot::AppInfo>();
    app->protocol = "TLS";
    app->domain = "example.com";
    f.app = app;
    f.vlan = 12;
    const auto r = ipfix_flow_of(f, ipfix::EndReason::end_of_flow);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->source_ip, f.source_ip);
    EXPECT_EQ(r->destination_ip, f.destination_ip);
    EXPECT_EQ(r->source_port, 50000);
    EXPECT_EQ(r->destination_port, 443);
    EXPECT_EQ(r->ip_proto, 6);
    EXPECT_EQ(r->vlan, 12);
    EXPECT_EQ(r->start_ms, 1'700'000'000'123u);  // milliseconds, truncated
    EXPECT_EQ(r->end_ms, 1'700'000'005'987u);
    EXPECT_EQ(r->octets, 1000u);
    EXPECT_EQ(r->packets, 10u);
    EXPECT_EQ(r->reverse_octets, 9000u);
    EXPECT_EQ(r->reverse_packets, 8u);
    EXPECT_EQ(r->pid, 321u);
    EXPECT_EQ(r->process_name, "firefox");
    EXPECT_EQ(r->user, "bob");
    EXPECT_EQ(r->application, "TLS");
    EXPECT_EQ(r->server_name, "example.com");
    EXPECT_EQ(r->end_reason, ipfix::EndReason::end_of_flow);
}

TEST(IpfixRecords, TheRemotesLocationComesFromItsGeoInfo) {
    FlowRecord f = tcp_flow();
    auto none = ipfix_flow_of(f, ipfix::EndReason::end_of_flow);  // geo off
    ASSERT_TRUE(none);
    EXPECT_EQ(none->remote_country, "");
    EXPECT_EQ(none->remote_asn, 0u);
    auto geo = std::make_shared<snapshot::GeoInfo>();
    geo->country = "DE";
    geo->city = "Berlin";
    geo->asn = 3320;
    geo->organisation = "Deutsche Telekom AG";
    f.remote_geo = geo;
    const auto r = ipfix_flow_of(f, ipfix::EndReason::end_of_flow);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->remote_country, "DE");
    EXPECT_EQ(r->remote_asn, 3320u);
    EXPECT_EQ(r->remote_organisation, "Deutsche Telekom AG");
    EXPECT_EQ(r->remote_city, "Berlin");
}

TEST(IpfixRecords, IcmpHasNoPortsAndArpIsNotExported) {
    FlowRecord icmp = tcp_flow();
    icmp.protocol = FlowProtocol::icmp;
    icmp.ip_proto = 1;
    icmp.source_port = 777;  // the echo identifier
    icmp.destination_port = 0;
    const auto r = ipfix_flow_of(icmp, ipfix::EndReason::idle_timeout);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->source_port, 0);
    EXPECT_EQ(r->tcp_flags, 0);

    FlowRecord arp;
    arp.protocol = FlowProtocol::arp;
    arp.source_ip = core::IpAddress::parse("10.0.0.5");  // who-has / is-at addresses
    arp.destination_ip = core::IpAddress::parse("10.0.0.1");
    arp.packets_sent = 1;
    EXPECT_FALSE(ipfix_flow_of(arp, ipfix::EndReason::idle_timeout));
}

TEST(IpfixRecords, TcpFlagsAreWhatTheStateMachineSaw) {
    FlowRecord f = tcp_flow();
    EXPECT_EQ(ipfix_tcp_flags_of(f), 0x12);  // SYN|ACK: handshake measured

    f.handshake_rtt_ns = -1;  // joined mid-stream
    EXPECT_EQ(ipfix_tcp_flags_of(f), 0x10);

    f.state = FlowState::syn_sent;
    EXPECT_EQ(ipfix_tcp_flags_of(f), 0x02);

    f = tcp_flow();
    f.state = FlowState::closed;
    f.end_reason = EndReason::fin;
    EXPECT_EQ(ipfix_tcp_flags_of(f), 0x13);  // SYN|ACK|FIN

    f.end_reason = EndReason::reset;
    EXPECT_EQ(ipfix_tcp_flags_of(f), 0x16);  // SYN|ACK|RST

    f.end_reason = EndReason::active;  // still in the table, reset seen
    EXPECT_EQ(ipfix_tcp_flags_of(f), 0x16);

    f = tcp_flow();
    f.state = FlowState::fin_wait_1;
    EXPECT_EQ(ipfix_tcp_flags_of(f), 0x13);

    f.protocol = FlowProtocol::udp;
    EXPECT_EQ(ipfix_tcp_flags_of(f), 0);
}

TEST(IpfixRecords, EndReasonsMapToTheIanaValues) {
    FlowRecord f = tcp_flow();
    f.end_reason = EndReason::fin;
    EXPECT_EQ(ipfix_end_reason_of(f), ipfix::EndReason::end_of_flow);
    f.end_reason = EndReason::reset;
    EXPECT_EQ(ipfix_end_reason_of(f), ipfix::EndReason::end_of_flow);
    f.end_reason = EndReason::idle_timeout;
    EXPECT_EQ(ipfix_end_reason_of(f), ipfix::EndReason::idle_timeout);
    f.end_reason = EndReason::evicted;
    EXPECT_EQ(ipfix_end_reason_of(f), ipfix::EndReason::lack_of_resources);
    EXPECT_EQ(static_cast<int>(ipfix::EndReason::forced_end), 4);
    EXPECT_EQ(static_cast<int>(ipfix::EndReason::active_timeout), 2);
}

snapshot::Snapshot snap_at(std::int64_t ts, const FlowRecord& f) {
    snapshot::Snapshot s;
    s.ts_ns = ts;
    s.flows.push_back(f);
    return s;
}

TEST(IpfixRecords, LongFlowsGetDeltaRecordsEveryActiveTimeoutThatSumToTheTotal) {
    IpfixRecordTracker tracker(60 * kSecond);
    FlowRecord f = tcp_flow();
    f.first_seen_ns = kT0;
    std::vector<IpfixFlow> out;

    f.last_seen_ns = kT0 + 59 * kSecond;
    tracker.due(snap_at(kT0 + 59 * kSecond, f), out);
    EXPECT_TRUE(out.empty());  // not yet

    tracker.due(snap_at(kT0 + 61 * kSecond, f), out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].end_reason, ipfix::EndReason::active_timeout);
    EXPECT_EQ(out[0].packets, 10u);
    EXPECT_EQ(out[0].reverse_octets, 9000u);
    EXPECT_EQ(tracker.tracked(), 1u);

    f.packets_sent = 25;
    f.bytes_sent = 2500;
    f.packets_received = 9;
    f.bytes_received = 9100;
    tracker.due(snap_at(kT0 + 100 * kSecond, f), out);
    EXPECT_EQ(out.size(), 1u);  // 39 s since the last record
    tracker.due(snap_at(kT0 + 122 * kSecond, f), out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[1].packets, 15u);
    EXPECT_EQ(out[1].octets, 1500u);
    EXPECT_EQ(out[1].reverse_packets, 1u);
    EXPECT_EQ(out[1].reverse_octets, 100u);
    EXPECT_EQ(out[1].start_ms, out[0].start_ms);  // the flow's real start

    f.packets_sent = 30;
    f.bytes_sent = 3000;
    f.end_reason = EndReason::fin;
    f.state = FlowState::closed;
    const auto last = tracker.closed(f);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->packets, 5u);
    EXPECT_EQ(last->octets, 500u);
    EXPECT_EQ(last->reverse_packets, 0u);
    EXPECT_EQ(last->end_reason, ipfix::EndReason::end_of_flow);
    EXPECT_EQ(tracker.tracked(), 0u);
    EXPECT_EQ(out[0].octets + out[1].octets + last->octets, 3000u);
    EXPECT_EQ(out[0].reverse_octets + out[1].reverse_octets + last->reverse_octets, 9100u);
}

TEST(IpfixRecords, AnIdleLongFlowGetsNoEmptyRecordAndOpenFlowsEndForcedAtExit) {
    IpfixRecordTracker tracker(60 * kSecond);
    FlowRecord f = tcp_flow();
    f.first_seen_ns = kT0;
    std::vector<IpfixFlow> out;
    tracker.due(snap_at(kT0 + 61 * kSecond, f), out);
    tracker.due(snap_at(kT0 + 130 * kSecond, f), out);  // nothing new
    EXPECT_EQ(out.size(), 1u);
    EXPECT_FALSE(tracker.at_exit(f));  // everything was sent already

    FlowRecord g = tcp_flow();
    g.source_port = 50001;
    const auto r = tracker.at_exit(g);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->end_reason, ipfix::EndReason::forced_end);
    EXPECT_EQ(r->packets, 10u);
}

TEST(IpfixRecords, ZeroActiveTimeoutMeansOneRecordPerFlow) {
    IpfixRecordTracker tracker(0);
    FlowRecord f = tcp_flow();
    std::vector<IpfixFlow> out;
    tracker.due(snap_at(f.first_seen_ns + 3600 * kSecond, f), out);
    EXPECT_TRUE(out.empty());
}

// The same open flows told as complete snapshots every second and as
// deltas (only the flows with a packet since the previous one): the same
// active-timeout records at the same snapshots, in the same order, idle
// flows included (the first record of a flow is due even without a packet
// since; a flow with a record and nothing new gets none either way).
TEST(IpfixRecords, DeltasGetTheActiveTimeoutRecordsCompleteSnapshotsGet) {
    IpfixRecordTracker full(60 * kSecond);
    IpfixRecordTracker deltas(60 * kSecond);
    std::uint64_t state = 4242;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return state >> 33;
    };
    std::vector<FlowRecord> open;
    std::size_t records = 0, idle_firsts = 0;
    for (int second = 1; second <= 300; ++second) {
        const std::int64_t now = kT0 + second * kSecond;
        snapshot::Snapshot complete;
        snapshot::Snapshot changed;
        complete.ts_ns = changed.ts_ns = now;
        changed.delta = true;
        for (auto& f : open) {
            if (next() % 10 == 0) {  // a packet: mostly in the first minute
                f.packets_sent += 1 + next() % 3;
                f.bytes_sent += 100;
                if (next() % 2 == 0) {
                    f.packets_received += 1;
                    f.bytes_received += 50;
                }
                f.last_seen_ns = now - 1;
                changed.flows.push_back(f);
            }
            complete.flows.push_back(f);
        }
        if (second <= 120) {
            for (int k = 0; k < 2; ++k) {
                FlowRecord f = tcp_flow();
                f.source_port = static_cast<std::uint16_t>(1000 + second * 4 + k);
                f.first_seen_ns = f.last_seen_ns = now - 1 - k;
                open.push_back(f);
                complete.flows.push_back(f);
                changed.flows.push_back(f);
            }
        }
        auto order = [](std::vector<FlowRecord>& v) {
            std::sort(v.begin(), v.end(), [](const FlowRecord& x, const FlowRecord& y) {
                return std::tie(x.first_seen_ns, x.source_port) < std::tie(y.first_seen_ns, y.source_port);
            });
        };
        order(complete.flows);
        order(changed.flows);
        std::vector<IpfixFlow> want, got;
        full.due(complete, want);
        deltas.due(changed, got);
        ASSERT_EQ(got.size(), want.size()) << "second " << second;
        for (std::size_t i = 0; i < want.size(); ++i) {
            EXPECT_EQ(got[i].source_port, want[i].source_port) << "second " << second;
            EXPECT_EQ(got[i].packets, want[i].packets) << "second " << second;
            EXPECT_EQ(got[i].octets, want[i].octets) << "second " << second;
            EXPECT_EQ(got[i].reverse_packets, want[i].reverse_packets) << "second " << second;
            EXPECT_EQ(got[i].end_ms, want[i].end_ms) << "second " << second;
            EXPECT_EQ(got[i].end_reason, ipfix::EndReason::active_timeout);
            const bool carried = std::any_of(changed.flows.begin(), changed.flows.end(),
                                             [&](const FlowRecord& f) { return f.source_port == got[i].source_port; });
            if (!carried) ++idle_firsts;
        }
        records += want.size();
    }
    EXPECT_GT(records, 300u);
    EXPECT_GT(idle_firsts, 100u);  // records of flows the delta did not carry
    // Flows with a record and nothing new since are not remembered.
    EXPECT_LT(deltas.owed(), open.size());
}

}  // namespace
}  // namespace sockeye::exports
