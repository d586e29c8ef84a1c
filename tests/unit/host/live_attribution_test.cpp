// Against the real kernel: sockets opened here must be attributed to this
// process, with the right kind of match.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host/attributor.hpp"
#include "unit/host/live_socket.hpp"

namespace sockeye::host {
namespace {

using snapshot::ProcessMatch;
using snapshot::UnattributedReason;
using test::bound_socket;
using test::connect_to;
using test::tuple_of;
using test::wait_answer;

core::IpAddress ip(const char* s) { return core::IpAddress::parse(s); }

void expect_self(const Attribution& a, ProcessMatch kind) {
    ASSERT_NE(a.process, nullptr) << "reason " << snapshot::unattributed_reason_name(a.reason);
    EXPECT_EQ(a.process->pid, static_cast<int>(::getpid()));
    EXPECT_EQ(a.process->name, "unit_host");
    EXPECT_EQ(a.match, kind);
    EXPECT_EQ(a.reason, UnattributedReason::none);
}

class LiveAttribution : public ::testing::Test {
protected:
    void SetUp() override {
        if (!test::sock_diag_available()) GTEST_SKIP() << "no sock_diag sockets here (qemu-user refuses them)";
        attributor.start();
    }
    ProcessAttributor attributor;
};

TEST_F(LiveAttribution, TcpLoopbackClientServerAndListener) {
    auto [listener, client, server] = test::loopback_tcp();
    ASSERT_TRUE(client.valid());
    core::UniqueFd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_TRUE(accepted.valid());

    const SocketTuple client_side = tuple_of(kProtoTcp, client.get());
    const SocketTuple server_side = tuple_of(kProtoTcp, accepted.get());
    // A peer that has not connected (yet): only the listener can own it.
    const SocketTuple incoming{kProtoTcp, server.ip, server.port, ip("127.0.0.1"), 1};
    attributor.request(client_side);
    attributor.request(server_side);
    attributor.request(incoming);
    expect_self(wait_answer(attributor, client_side), ProcessMatch::exact);
    expect_self(wait_answer(attributor, server_side), ProcessMatch::exact);
    expect_self(wait_answer(attributor, incoming), ProcessMatch::listener);

    // Sticky: the answers outlive the sockets.
    client.reset();
    accepted.reset();
    listener.reset();
    attributor.request(client_side);
    ASSERT_TRUE(attributor.wait_idle(std::chrono::milliseconds(2000)));
    expect_self(attributor.lookup(client_side), ProcessMatch::exact);
}

// A connection known by its two ends only (what announced an FTP data
// connection) is found whichever end is given first.
TEST_F(LiveAttribution, ConnectionByItsEndsInEitherOrder) {
    const auto [listener, client, server] = test::loopback_tcp();
    ASSERT_TRUE(client.valid());
    const auto client_end = test::local_end(client.get());
    const snapshot::Announcer client_first{client_end.ip, server.ip, client_end.port, server.port};
    const snapshot::Announcer server_first{server.ip, client_end.ip, server.port, client_end.port};
    for (const auto& ends : {client_first, server_first}) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        Attribution a = attributor.lookup_connection(kProtoTcp, ends);
        while (a.reason == UnattributedReason::pending && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            a = attributor.lookup_connection(kProtoTcp, ends);
        }
        expect_self(a, a.match == ProcessMatch::listener ? ProcessMatch::listener : ProcessMatch::exact);
    }
    // Neither end local: not asked, said so.
    const snapshot::Announcer foreign{ip("203.0.113.5"), ip("198.51.100.1"), 40000, 21};
    EXPECT_EQ(attributor.lookup_connection(kProtoTcp, foreign).reason, UnattributedReason::not_local);
}

TEST_F(LiveAttribution, UdpBoundIsWildcardConnectedIsExact) {
    auto server = bound_socket(AF_INET, SOCK_DGRAM, "0.0.0.0");
    ASSERT_TRUE(server.valid());
    const auto port = test::local_end(server.get()).port;
    auto client = bound_socket(AF_INET, SOCK_DGRAM, "127.0.0.1");
    ASSERT_TRUE(connect_to(client.get(), AF_INET, "127.0.0.1", port));

    const SocketTuple to_server{kProtoUdp, ip("127.0.0.1"), port, ip("127.0.0.1"), 40001};
    const SocketTuple from_client = tuple_of(kProtoUdp, client.get());
    attributor.request(to_server);
    attributor.request(from_client);
    expect_self(wait_answer(attributor, to_server), ProcessMatch::wildcard);
    expect_self(wait_answer(attributor, from_client), ProcessMatch::exact);
}

TEST_F(LiveAttribution, DualStackListenerAttributesIpv4Flows) {
    auto listener = bound_socket(AF_INET6, SOCK_STREAM, "::", false);
    ASSERT_TRUE(listener.valid());
    ASSERT_EQ(::listen(listener.get(), 8), 0);
    const auto port = test::local_end(listener.get()).port;
    core::UniqueFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_TRUE(connect_to(client.get(), AF_INET, "127.0.0.1", port));
    core::UniqueFd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_TRUE(accepted.valid());

    // The accepted socket is AF_INET6 with ::ffff:127.0.0.1 on both ends.
    const SocketTuple server_side = tuple_of(kProtoTcp, accepted.get());
    EXPECT_TRUE(server_side.local_ip.is_v6());
    const SocketTuple as_packets{kProtoTcp, ip("127.0.0.1"), port, ip("127.0.0.1"),
                                 test::local_end(client.get()).port};
    const SocketTuple incoming{kProtoTcp, ip("127.0.0.1"), port, ip("127.0.0.1"), 2};
    attributor.request(as_packets);
    attributor.request(incoming);
    expect_self(wait_answer(attributor, as_packets), ProcessMatch::exact);
    expect_self(wait_answer(attributor, incoming), ProcessMatch::listener);
    // The mapped spelling of the same flow is the same flow.
    expect_self(wait_answer(attributor, server_side), ProcessMatch::exact);
}

TEST_F(LiveAttribution, Ipv6Loopback) {
    auto listener = bound_socket(AF_INET6, SOCK_STREAM, "::1", true);
    if (!listener.valid()) GTEST_SKIP() << "no IPv6 loopback";
    ASSERT_EQ(::listen(listener.get(), 8), 0);
    const auto port = test::local_end(listener.get()).port;
    core::UniqueFd client(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_TRUE(connect_to(client.get(), AF_INET6, "::1", port));
    const SocketTuple t = tuple_of(kProtoTcp, client.get());
    EXPECT_TRUE(t.local_ip.is_v6());
    attributor.request(t);
    expect_self(wait_answer(attributor, t), ProcessMatch::exact);
    auto udp6 = bound_socket(AF_INET6, SOCK_DGRAM, "::1", true);
    ASSERT_TRUE(udp6.valid());
    const SocketTuple u{kProtoUdp, ip("::1"), test::local_end(udp6.get()).port, ip("::1"), 5353};
    attributor.request(u);
    expect_self(wait_answer(attributor, u), ProcessMatch::wildcard);
}

TEST_F(LiveAttribution, UnmatchedFlowsSayWhy) {
    // Nothing listens on this port (bound, then closed).
    std::uint16_t free_port = 0;
    {
        auto s = bound_socket(AF_INET, SOCK_STREAM, "127.0.0.1");
        free_port = test::local_end(s.get()).port;
    }
    const SocketTuple closed{kProtoTcp, ip("127.0.0.1"), free_port, ip("127.0.0.1"), 9};
    const SocketTuple elsewhere{kProtoTcp, ip("203.0.113.77"), 443, ip("198.51.100.1"), 50000};
    attributor.request(closed);
    attributor.request(elsewhere);
    const auto a = wait_answer(attributor, closed);
    EXPECT_EQ(a.process, nullptr);
    EXPECT_EQ(a.match, ProcessMatch::none);
    EXPECT_EQ(a.reason, UnattributedReason::no_socket);
    EXPECT_EQ(wait_answer(attributor, elsewhere).reason, UnattributedReason::not_local);
    // Not TCP/UDP: answered at once, never queued.
    SocketTuple icmp = closed;
    icmp.ip_proto = 1;
    EXPECT_EQ(attributor.lookup(icmp).reason, UnattributedReason::no_socket);
}

TEST_F(LiveAttribution, LookupOfAnUnrequestedFlowAsksByItself) {
    auto server = bound_socket(AF_INET, SOCK_DGRAM, "127.0.0.1");
    const SocketTuple t{kProtoUdp, ip("127.0.0.1"), test::local_end(server.get()).port, ip("127.0.0.1"), 7};
    EXPECT_EQ(attributor.lookup(t).reason, UnattributedReason::pending);
    expect_self(wait_answer(attributor, t), ProcessMatch::wildcard);
}

TEST_F(LiveAttribution, StatusAndCounters) {
    // The first refresh runs right after start.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (!attributor.status().active && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const auto st = attributor.status();
    EXPECT_TRUE(st.active);
    EXPECT_EQ(st.method, "sock_diag + /proc");
    if (::geteuid() == 0) {
        EXPECT_TRUE(st.limitations.empty()) << st.limitations.front();
    }
    auto s = bound_socket(AF_INET, SOCK_DGRAM, "127.0.0.1");
    const SocketTuple t{kProtoUdp, ip("127.0.0.1"), test::local_end(s.get()).port, ip("127.0.0.1"), 7};
    attributor.request(t);
    expect_self(wait_answer(attributor, t), ProcessMatch::wildcard);
    const auto c = attributor.counters();
    EXPECT_GE(c.requests, 1u);
    EXPECT_GE(c.attributed, 1u);
    EXPECT_GE(c.cached, 1u);
    EXPECT_EQ(c.dropped, 0u);
    attributor.stop();
    EXPECT_FALSE(attributor.status().active);
    attributor.stop();  // idempotent
}

TEST(LiveAttributionQueue, FullQueueDropsAndCounts) {
    AttributorOptions o;
    o.queue_capacity = 4;
    ProcessAttributor a(o);  // not started: nothing drains the queue
    for (std::uint16_t p = 1; p <= 10; ++p) {
        a.request(SocketTuple{kProtoUdp, ip("127.0.0.1"), p, ip("127.0.0.1"), 9});
    }
    const auto c = a.counters();
    EXPECT_EQ(c.requests, 4u);
    EXPECT_EQ(c.dropped, 6u);
}

}  // namespace
}  // namespace sockeye::host
