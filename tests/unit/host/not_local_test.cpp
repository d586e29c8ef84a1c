// Flows that cannot be this machine's (neither address is one of its own)
// are answered "not local" without a request: no queue entry, no netlink
// query, no eBPF drain. Flows with a local address are still asked, and a
// flow whose address becomes local is asked about at the next lookup.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "host/attributor.hpp"
#include "unit/host/live_socket.hpp"

namespace sockeye::host {
namespace {

using snapshot::UnattributedReason;

core::IpAddress ip(const char* s) { return core::IpAddress::parse(s); }

// The machine's addresses as the test says they are; changeable while the
// attributor runs.
struct FakeAddresses {
    std::mutex mutex;
    std::vector<core::IpAddress> own{ip("192.0.2.1"), ip("2001:db8::1")};

    std::function<InterfaceAddresses()> source() {
        return [this] {
            std::lock_guard lock(mutex);
            return InterfaceAddresses{own, {}, {}};
        };
    }
    void add(const core::IpAddress& a) {
        std::lock_guard lock(mutex);
        own.push_back(a);
    }
};

AttributorOptions options_with(FakeAddresses& fake) {
    AttributorOptions o;
    o.address_source = fake.source();
    o.refresh_interval = std::chrono::milliseconds(50);
    return o;
}

const SocketTuple kForwarded{kProtoTcp, ip("203.0.113.5"), 40000, ip("198.51.100.1"), 443};
const SocketTuple kForwarded6{kProtoUdp, ip("2001:db8:ff::5"), 5000, ip("2001:db8:ee::1"), 53};
// A spoofed multicast source, as in SYN floods.
const SocketTuple kSpoofed{kProtoTcp, ip("239.50.212.150"), 39284, ip("198.51.100.1"), 8080};

TEST(NotLocal, ForeignFlowsAreAnsweredWithoutARequest) {
    FakeAddresses fake;
    ProcessAttributor attributor(options_with(fake));
    attributor.prepare();  // no thread: an answer cannot come from it
    attributor.request(kForwarded);
    attributor.request(kForwarded6);
    attributor.request(kSpoofed);
    const AttributorCounters c = attributor.counters();
    EXPECT_EQ(c.requests, 0u);
    EXPECT_EQ(c.not_local, 3u);
    for (const auto& t : {kForwarded, kForwarded6, kSpoofed}) {
        const Attribution a = attributor.lookup(t);
        EXPECT_EQ(a.process, nullptr);
        EXPECT_EQ(a.match, snapshot::ProcessMatch::none);
        EXPECT_EQ(a.reason, UnattributedReason::not_local);
    }
    EXPECT_EQ(attributor.counters().requests, 0u);  // the lookups queued nothing either
}

TEST(NotLocal, TheThreadAsksNothingForThem) {
    if (!test::sock_diag_available()) GTEST_SKIP() << "no sock_diag sockets here";
    FakeAddresses fake;
    ProcessAttributor attributor(options_with(fake));
    attributor.start();
    // Let the first refresh pass (its own queries) go by.
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
    const std::uint64_t queries_before = attributor.counters().netlink_queries;
    for (std::uint16_t port = 1; port <= 500; ++port) {
        SocketTuple t = kForwarded;
        t.local_port = port;
        attributor.request(t);
    }
    ASSERT_TRUE(attributor.wait_idle(std::chrono::seconds(3)));
    std::this_thread::sleep_for(std::chrono::milliseconds(120));  // a refresh publishes counters
    const AttributorCounters c = attributor.counters();
    EXPECT_EQ(c.requests, 0u);
    EXPECT_EQ(c.not_local, 500u);
    EXPECT_EQ(c.netlink_queries, queries_before);
}

TEST(NotLocal, AFlowWithOneLocalAddressIsStillAsked) {
    if (!test::sock_diag_available()) GTEST_SKIP() << "no sock_diag sockets here";
    FakeAddresses fake;
    ProcessAttributor attributor(options_with(fake));
    attributor.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(120));  // past the first refresh
    const std::uint64_t queries_before = attributor.counters().netlink_queries;
    // Ours as source, or (not oriented yet) ours as destination.
    const SocketTuple outgoing{kProtoTcp, ip("192.0.2.1"), 40001, ip("198.51.100.1"), 443};
    const SocketTuple incoming{kProtoUdp, ip("198.51.100.1"), 5353, ip("2001:db8::1"), 5353};
    // Sent to a group a socket here may have joined (mDNS).
    const SocketTuple multicast{kProtoUdp, ip("198.51.100.1"), 5353, ip("224.0.0.251"), 5353};
    attributor.request(outgoing);
    attributor.request(incoming);
    attributor.request(multicast);
    EXPECT_EQ(attributor.counters().requests, 3u);
    EXPECT_EQ(attributor.counters().not_local, 0u);
    ASSERT_TRUE(attributor.wait_idle(std::chrono::seconds(3)));
    // Asked, and no socket has these addresses: "no socket", not "not local".
    EXPECT_EQ(test::wait_answer(attributor, outgoing).reason, UnattributedReason::no_socket);
    EXPECT_NE(test::wait_answer(attributor, incoming).reason, UnattributedReason::pending);
    std::this_thread::sleep_for(std::chrono::milliseconds(120));  // a refresh publishes counters
    EXPECT_GT(attributor.counters().netlink_queries, queries_before);
}

TEST(NotLocal, AnAddressThatBecomesLocalIsAskedAboutAtTheNextLookup) {
    if (!test::sock_diag_available()) GTEST_SKIP() << "no sock_diag sockets here";
    FakeAddresses fake;
    ProcessAttributor attributor(options_with(fake));
    attributor.start();
    attributor.request(kForwarded);
    ASSERT_EQ(attributor.lookup(kForwarded).reason, UnattributedReason::not_local);
    fake.add(ip("203.0.113.5"));  // e.g. a VPN came up with this address
    // The next refresh (every 50 ms here) publishes it; bounded wait.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    Attribution a = attributor.lookup(kForwarded);
    while (a.reason == UnattributedReason::not_local && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        a = attributor.lookup(kForwarded);
    }
    EXPECT_NE(a.reason, UnattributedReason::not_local);
    EXPECT_GE(attributor.counters().requests, 1u);  // that lookup queued a request
    EXPECT_EQ(test::wait_answer(attributor, kForwarded).reason, UnattributedReason::no_socket);
}

TEST(NotLocal, UnknownAddressesRuleNothingOut) {
    // getifaddrs() gave nothing: every flow is asked, as before the shortcut.
    AttributorOptions o;
    o.address_source = [] { return InterfaceAddresses{}; };
    ProcessAttributor attributor(o);
    attributor.prepare();
    attributor.request(kForwarded);
    EXPECT_EQ(attributor.counters().requests, 1u);
    EXPECT_EQ(attributor.counters().not_local, 0u);
}

}  // namespace
}  // namespace sockeye::host
