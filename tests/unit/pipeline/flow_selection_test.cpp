#include "pipeline/flow_selection.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace sockeye::pipeline {
namespace {

snapshot::FlowRecord flow(std::uint16_t port, std::uint64_t bytes) {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::tcp;
    f.ip_proto = 6;
    f.source_ip = core::IpAddress::parse("10.0.0.1");
    f.destination_ip = core::IpAddress::parse("10.0.0.2");
    f.source_port = 40000;
    f.destination_port = port;
    f.first_seen_ns = 1'000;
    f.bytes_sent = bytes;
    f.state = snapshot::FlowState::established;
    return f;
}

snapshot::Snapshot snap_of(std::vector<snapshot::FlowRecord> flows, bool delta) {
    snapshot::Snapshot s;
    s.ts_ns = 5'000;
    s.delta = delta;
    s.counters.packets = 99;
    s.flows = std::move(flows);
    return s;
}

// Big and not closed: what `not state:closed and bytes>1000` would say.
bool big_and_open(const snapshot::FlowRecord& f, std::int64_t) {
    return f.bytes_sent > 1000 && f.state != snapshot::FlowState::closed;
}

TEST(FlowSelection, SnapshotsKeepOnlyMatchingFlowsAndTheRestAsIs) {
    FlowSelection sel(big_and_open, false, nullptr);
    const auto view = sel.view(snap_of({flow(80, 5000), flow(81, 10)}, false));
    ASSERT_EQ(view.flows.size(), 1u);
    EXPECT_EQ(view.flows[0].destination_port, 80);
    EXPECT_EQ(view.counters.packets, 99u);  // the capture's counters stay whole
    EXPECT_EQ(view.ts_ns, 5'000);
}

TEST(FlowSelection, AFlowIsSelectedWhenItFirstMatchesAndStaysSelectedToItsEnd) {
    FlowSelection sel(big_and_open, false, nullptr);
    EXPECT_TRUE(sel.view(snap_of({flow(80, 10)}, true)).flows.empty());
    // It grew past the threshold: in from now on.
    EXPECT_EQ(sel.view(snap_of({flow(80, 2000)}, true)).flows.size(), 1u);
    // It closes: no longer matching, but the exports follow it to its end.
    auto closing = flow(80, 3000);
    closing.state = snapshot::FlowState::closed;
    closing.end_sequence = 1;
    EXPECT_EQ(sel.view(snap_of({closing}, true)).flows.size(), 1u);
    EXPECT_EQ(sel.selected_count(), 0u);  // ended: nothing more to follow
    // A flow that never matched does not get in by ending.
    auto other = flow(81, 5000);
    other.state = snapshot::FlowState::closed;
    other.end_sequence = 2;
    EXPECT_TRUE(sel.view(snap_of({other}, true)).flows.empty());
}

TEST(FlowSelection, AKeyframeForgetsFlowsItDoesNotList) {
    FlowSelection sel(big_and_open, false, nullptr);
    EXPECT_EQ(sel.view(snap_of({flow(80, 5000), flow(81, 5000)}, true)).flows.size(), 2u);
    EXPECT_EQ(sel.selected_count(), 2u);
    // A delta that does not list a flow says nothing about it.
    EXPECT_EQ(sel.view(snap_of({flow(80, 6000)}, true)).flows.size(), 1u);
    EXPECT_EQ(sel.selected_count(), 2u);
    // A keyframe that does not list it: it is gone.
    EXPECT_EQ(sel.view(snap_of({flow(80, 6000)}, false)).flows.size(), 1u);
    EXPECT_EQ(sel.selected_count(), 1u);
}

TEST(FlowSelection, APendingProcessIsAwaitedWhenThePredicateReadsIt) {
    // `not process:curl`: an unknown process matches, so a flow whose owner is
    // still being looked up must not be judged at once.
    auto not_curl = [](const snapshot::FlowRecord& f, std::int64_t) {
        return !f.process || f.process->name != "curl";
    };
    auto pending = flow(443, 10);
    pending.unattributed = snapshot::UnattributedReason::pending;
    FlowSelection sel(not_curl, true, nullptr);
    for (int i = 0; i < FlowSelection::kProcessWaits; ++i)
        EXPECT_TRUE(sel.view(snap_of({pending}, true)).flows.empty()) << i;
    // The owner arrived: curl, never selected.
    auto curl = flow(443, 10);
    auto info = std::make_shared<snapshot::ProcessInfo>();
    info->name = "curl";
    curl.process = info;
    EXPECT_TRUE(sel.view(snap_of({curl}, true)).flows.empty());

    // Still pending after the waits: judged as it is.
    FlowSelection patient(not_curl, true, nullptr);
    for (int i = 0; i < FlowSelection::kProcessWaits; ++i)
        EXPECT_TRUE(patient.view(snap_of({pending}, true)).flows.empty());
    EXPECT_EQ(patient.view(snap_of({pending}, true)).flows.size(), 1u);

    // A predicate that does not read the process judges at once.
    FlowSelection at_once(not_curl, false, nullptr);
    EXPECT_EQ(at_once.view(snap_of({pending}, true)).flows.size(), 1u);
}

}  // namespace
}  // namespace sockeye::pipeline
