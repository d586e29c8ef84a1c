#include "export/event_log.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sockeye::exports {
namespace {

snapshot::FlowRecord tcp_flow(std::uint16_t source_port, std::int64_t first_seen_ns) {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::tcp;
    f.ip_proto = 6;
    f.source_ip = core::IpAddress::parse("10.0.0.1");
    f.destination_ip = core::IpAddress::parse("93.184.216.34");
    f.source_port = source_port;
    f.destination_port = 443;
    f.state = snapshot::FlowState::established;
    f.first_seen_ns = first_seen_ns;
    f.last_seen_ns = first_seen_ns;
    return f;
}

snapshot::FlowRecord ended(snapshot::FlowRecord f) {
    f.end_reason = snapshot::EndReason::fin;
    f.state = snapshot::FlowState::closed;
    return f;
}

snapshot::Snapshot snap_of(std::vector<snapshot::FlowRecord> flows) {
    snapshot::Snapshot s;
    s.flows = std::move(flows);
    return s;
}

// "new:PORT" / "closed:PORT" per event, in order.
std::vector<std::string> describe(const std::vector<FlowEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events)
        out.push_back(std::string(e.kind == FlowEventKind::opened ? "new:" : "closed:") +
                      std::to_string(e.flow.source_port));
    return out;
}

TEST(FlowEventTracker, OpenThenCloseEachOnce) {
    FlowEventTracker t;
    const auto a = tcp_flow(40000, 1'000);
    EXPECT_EQ(describe(t.update(snap_of({a}))), (std::vector<std::string>{"new:40000"}));
    EXPECT_TRUE(t.update(snap_of({a})).empty());
    EXPECT_EQ(t.open_count(), 1u);
    auto a_end = ended(a);
    a_end.bytes_sent = 900;
    const auto events = t.update(snap_of({a_end}));
    ASSERT_EQ(describe(events), (std::vector<std::string>{"closed:40000"}));
    EXPECT_EQ(events[0].flow.bytes_sent, 900u);  // the final record
    // Still in the ended-flow history: no second close.
    EXPECT_TRUE(t.update(snap_of({a_end})).empty());
    EXPECT_EQ(t.open_count(), 0u);
}

TEST(FlowEventTracker, FlowBornAndEndedBetweenSnapshotsGetsBothEvents) {
    FlowEventTracker t;
    EXPECT_EQ(describe(t.update(snap_of({ended(tcp_flow(40001, 5)), tcp_flow(40002, 6)}))),
              (std::vector<std::string>{"new:40001", "new:40002", "closed:40001"}));
}

TEST(FlowEventTracker, ReusedTupleIsANewConnection) {
    FlowEventTracker t;
    const auto first = tcp_flow(40000, 1'000);
    t.update(snap_of({first}));
    auto second = tcp_flow(40000, 9'000);
    second.generation = 1;
    EXPECT_EQ(describe(t.update(snap_of({second, ended(first)}))),
              (std::vector<std::string>{"new:40000", "closed:40000"}));
    EXPECT_EQ(t.open_count(), 1u);
}

TEST(FlowEventTracker, OpenFlowThatVanishedIsClosedAsLastSeen) {
    FlowEventTracker t;
    auto a = tcp_flow(40003, 1);
    a.packets_sent = 3;
    t.update(snap_of({a}));
    // It ended and fell off the bounded history before the next snapshot.
    const auto events = t.update(snap_of({}));
    ASSERT_EQ(describe(events), (std::vector<std::string>{"closed:40003"}));
    EXPECT_EQ(events[0].flow.packets_sent, 3u);
    EXPECT_EQ(t.open_count(), 0u);
}

TEST(FlowEventTracker, NewFlowWaitsBrieflyForItsOwner) {
    FlowEventTracker t(2);
    auto a = tcp_flow(40004, 1);
    a.unattributed = snapshot::UnattributedReason::pending;
    EXPECT_TRUE(t.update(snap_of({a})).empty());
    auto owned = a;
    owned.unattributed = snapshot::UnattributedReason::none;
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->pid = 77;
    owned.process = p;
    auto events = t.update(snap_of({owned}));
    ASSERT_EQ(describe(events), (std::vector<std::string>{"new:40004"}));
    EXPECT_EQ(events[0].flow.process->pid, 77);
    // Never answered: announced without an owner after two deferrals.
    auto b = tcp_flow(40005, 2);
    b.unattributed = snapshot::UnattributedReason::pending;
    EXPECT_TRUE(t.update(snap_of({owned, b})).empty());
    EXPECT_TRUE(t.update(snap_of({owned, b})).empty());
    EXPECT_EQ(describe(t.update(snap_of({owned, b}))), (std::vector<std::string>{"new:40005"}));
    // Ended while deferred: both events at once.
    auto c = tcp_flow(40006, 3);
    c.unattributed = snapshot::UnattributedReason::pending;
    EXPECT_TRUE(t.update(snap_of({owned, b, c})).empty());
    EXPECT_EQ(describe(t.update(snap_of({owned, b, ended(c)}))),
              (std::vector<std::string>{"new:40006", "closed:40006"}));
}

snapshot::Snapshot delta_of(std::vector<snapshot::FlowRecord> flows) {
    snapshot::Snapshot s = snap_of(std::move(flows));
    s.delta = true;
    return s;
}

// Deltas carry only the flows that changed: an open flow absent from one
// is not closed; a flow that vanished without an ended record is closed at
// the next complete snapshot (a keyframe).
TEST(FlowEventTracker, DeltasLeaveIdleFlowsOpenKeyframesCloseVanishedOnes) {
    FlowEventTracker t;
    auto a = tcp_flow(40010, 1);
    auto b = tcp_flow(40011, 2);
    b.packets_sent = 5;
    EXPECT_EQ(describe(t.update(delta_of({a, b}))),
              (std::vector<std::string>{"new:40010", "new:40011"}));
    EXPECT_TRUE(t.update(delta_of({})).empty());
    a.packets_sent = 9;
    EXPECT_TRUE(t.update(delta_of({a})).empty());
    EXPECT_EQ(t.open_count(), 2u);
    // b fell off the history unseen; a ends, told in the delta.
    EXPECT_EQ(describe(t.update(delta_of({ended(a)}))), (std::vector<std::string>{"closed:40010"}));
    EXPECT_EQ(t.open_count(), 1u);
    const auto c = tcp_flow(40012, 3);
    const auto events = t.update(snap_of({c}));
    EXPECT_EQ(describe(events), (std::vector<std::string>{"new:40012", "closed:40011"}));
    EXPECT_EQ(events[1].flow.packets_sent, 5u);  // as last seen
    EXPECT_EQ(t.open_count(), 1u);
}

// A new flow whose owner is still being looked up is offered again in the
// next deltas without a packet (the pipeline's window for new flows): its
// new_connection carries the process once found, as with complete snapshots.
TEST(FlowEventTracker, PendingFlowGetsItsProcessThroughDeltas) {
    FlowEventTracker t(2);
    auto a = tcp_flow(40013, 1);
    a.unattributed = snapshot::UnattributedReason::pending;
    const auto other = tcp_flow(40014, 2);
    EXPECT_EQ(describe(t.update(delta_of({a, other}))), (std::vector<std::string>{"new:40014"}));
    EXPECT_TRUE(t.update(delta_of({a})).empty());
    auto owned = a;
    owned.unattributed = snapshot::UnattributedReason::none;
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->pid = 78;
    owned.process = p;
    const auto events = t.update(delta_of({owned}));
    ASSERT_EQ(describe(events), (std::vector<std::string>{"new:40013"}));
    EXPECT_EQ(events[0].flow.process->pid, 78);
    EXPECT_TRUE(t.update(delta_of({owned})).empty());
    // Never answered: announced without one after two deferrals, as ever.
    auto b = tcp_flow(40015, 3);
    b.unattributed = snapshot::UnattributedReason::pending;
    EXPECT_TRUE(t.update(delta_of({b})).empty());
    EXPECT_TRUE(t.update(delta_of({b})).empty());
    EXPECT_EQ(describe(t.update(delta_of({b}))), (std::vector<std::string>{"new:40015"}));
    // Ended while deferred: both events at once.
    auto c = tcp_flow(40016, 4);
    c.unattributed = snapshot::UnattributedReason::pending;
    EXPECT_TRUE(t.update(delta_of({c})).empty());
    EXPECT_EQ(describe(t.update(delta_of({ended(c)}))),
              (std::vector<std::string>{"new:40016", "closed:40016"}));
    EXPECT_EQ(t.open_count(), 3u);  // other, a, b
}

TEST(EventJson, NewConnectionUsesReferenceFieldNames) {
    auto f = tcp_flow(40000, 1'704'067'200'000'000'000);
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->pid = 1234;
    p->name = "curl";
    p->user = "root";
    f.process = p;
    auto app = std::make_shared<snapshot::AppInfo>();
    app->protocol = "TLS";
    app->domain = "example.com";
    f.app = app;
    std::string out;
    append_event_json(out, {FlowEventKind::opened, f},
                      [](const snapshot::FlowRecord&) { return std::string_view("https"); });
    EXPECT_EQ(out,
              R"({"timestamp":"2024-01-01T00:00:00.000000Z","event":"new_connection",)"
              R"("protocol":"TCP","source_ip":"10.0.0.1","source_port":40000,)"
              R"("destination_ip":"93.184.216.34","destination_port":443,"pid":1234,)"
              R"("process_name":"curl","process_user":"root","container":null,)"
              R"("container_name":null,"container_image":null,"pod":null,"pod_namespace":null,)"
              R"("service_name":"https","dpi_protocol":"TLS","dpi_domain":"example.com",)"
              R"("remote_name":null,"state":"ESTABLISHED"})"
              "\n");
}

TEST(EventJson, ClosedAddsTotalsAndDuration) {
    auto f = ended(tcp_flow(40000, 1'704'067'200'000'000'000));
    f.last_seen_ns = f.first_seen_ns + 2'500'000'000;
    f.bytes_sent = 100;
    f.bytes_received = 2000;
    f.packets_sent = 3;
    f.packets_received = 4;
    std::string out;
    append_event_json(out, {FlowEventKind::closed, f}, nullptr);
    EXPECT_NE(out.find(R"("timestamp":"2024-01-01T00:00:02.500000Z","event":"connection_closed")"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find(R"("pid":null,"process_name":null)"), std::string::npos) << out;
    EXPECT_NE(out.find(R"("service_name":null,"dpi_protocol":null,"dpi_domain":null)"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find(R"("end_reason":"fin","bytes_sent":100,"bytes_received":2000,)"
                       R"("packets_sent":3,"packets_received":4,"duration_secs":2.500})"),
              std::string::npos)
        << out;
}

}  // namespace
}  // namespace sockeye::exports
