#include "host/attribution_cache.hpp"

#include <gtest/gtest.h>

#include <memory>


namespace sockeye::host {
namespace {

SocketTuple key(std::uint16_t port) {
    return SocketTuple{kProtoTcp, core::IpAddress::parse("10.0.0.1"), port,
                       core::IpAddress::parse("10.0.0.2"), 443};
}

Attribution named(int pid) {
    auto info = std::make_shared<snapshot::ProcessInfo>();
    info->pid = pid;
    return Attribution{info, snapshot::ProcessMatch::exact, snapshot::UnattributedReason::none};
}

TEST(AttributionCache, StoresAndFinds) {
    AttributionCache cache(16, 300);
    EXPECT_FALSE(cache.find(key(1), 0).has_value());
    cache.put(key(1), named(10), 0);
    const auto a = cache.find(key(1), 1);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->process->pid, 10);
    EXPECT_TRUE(cache.has_process(key(1)));
    EXPECT_FALSE(cache.has_process(key(2)));
    cache.put(key(2), Attribution{nullptr, snapshot::ProcessMatch::none, snapshot::UnattributedReason::no_socket}, 0);
    EXPECT_FALSE(cache.has_process(key(2)));
    EXPECT_EQ(cache.find(key(2), 0)->reason, snapshot::UnattributedReason::no_socket);
}

TEST(AttributionCache, KernelRttOfOpenTcpSockets) {
    AttributionCache cache(16, 300);
    cache.put(key(1), named(10), 5);
    cache.put(key(2), named(11), 5);
    cache.put(key(3), Attribution{nullptr, snapshot::ProcessMatch::none,
                                  snapshot::UnattributedReason::no_socket}, 9);
    SocketTuple udp = key(4);
    udp.ip_proto = kProtoUdp;
    cache.put(udp, named(12), 9);

    // Only TCP answers with a process, until their socket is seen closed.
    EXPECT_EQ(cache.open_tcp_sockets(16).size(), 2u);
    EXPECT_EQ(cache.open_tcp_sockets(1).size(), 1u);
    cache.mark_closed(key(1));
    auto open = cache.open_tcp_sockets(16);
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0], key(2));

    EXPECT_EQ(cache.find(key(2), 9)->kernel_srtt_ns, -1);
    cache.set_kernel_rtt(key(2), 73'000);
    EXPECT_EQ(cache.find(key(2), 9)->kernel_srtt_ns, 73'000);
    EXPECT_EQ(cache.find(key(2), 9)->process->pid, 11);
    cache.set_kernel_rtt(key(9), 1);  // not held: nothing happens
    cache.mark_closed(key(9));
    EXPECT_FALSE(cache.find(key(9), 9).has_value());

    // A new answer for a tuple (a reused port) is open again.
    cache.put(key(1), named(13), 10);
    EXPECT_EQ(cache.open_tcp_sockets(16).size(), 2u);
}

TEST(AttributionCache, ExpiresOnlyIdleEntries) {
    AttributionCache cache(16, 300);
    cache.put(key(1), named(1), 0);
    cache.put(key(2), named(2), 0);
    // Key 1 is looked up at t=200, key 2 is not.
    ASSERT_TRUE(cache.find(key(1), 200).has_value());
    EXPECT_EQ(cache.expire(299), 0u);
    EXPECT_EQ(cache.expire(301), 1u);
    EXPECT_TRUE(cache.find(key(1), 301).has_value());
    EXPECT_FALSE(cache.find(key(2), 301).has_value());
    EXPECT_EQ(cache.expire(602), 1u);
    EXPECT_EQ(cache.size(), 0u);
}

TEST(AttributionCache, FullCacheEvictsLeastRecentlyUsed) {
    AttributionCache cache(64, 300);
    for (std::uint16_t p = 0; p < 64; ++p) cache.put(key(p), named(p), p);
    // Touch the oldest eight so they survive.
    for (std::uint16_t p = 0; p < 8; ++p) ASSERT_TRUE(cache.find(key(p), 100).has_value());
    cache.put(key(1000), named(1000), 101);
    EXPECT_LE(cache.size(), 64u);
    EXPECT_EQ(cache.evicted(), 8u);
    for (std::uint16_t p = 0; p < 8; ++p) EXPECT_TRUE(cache.has_process(key(p))) << p;
    // The eight least recently used (8..15) went.
    for (std::uint16_t p = 8; p < 16; ++p) EXPECT_FALSE(cache.has_process(key(p))) << p;
    for (std::uint16_t p = 16; p < 64; ++p) EXPECT_TRUE(cache.has_process(key(p))) << p;
    EXPECT_TRUE(cache.has_process(key(1000)));
}

TEST(AttributionCache, ReplacingKeepsOneEntry) {
    AttributionCache cache(4, 300);
    cache.put(key(1), named(1), 0);
    cache.put(key(1), named(2), 5);
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_EQ(cache.find(key(1), 5)->process->pid, 2);
}

}  // namespace
}  // namespace sockeye::host
