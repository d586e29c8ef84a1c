// The pieces the reverse resolver is built from, with synthetic time.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "enrich/host_name_text.hpp"
#include "enrich/name_cache.hpp"
#include "enrich/own_queries.hpp"
#include "enrich/rate_limiter.hpp"

namespace {

using namespace std::chrono_literals;
using sockeye::core::IpAddress;
using sockeye::enrich::clean_host_name;
using sockeye::enrich::NameCache;
using sockeye::enrich::OwnQueryLog;
using sockeye::enrich::RateLimiter;
using sockeye::snapshot::FlowProtocol;
using Clock = std::chrono::steady_clock;

TEST(HostNameText, KeepsHostNamesDropsEverythingElse) {
    EXPECT_EQ(clean_host_name("host.example.com."), std::optional<std::string>("host.example.com"));
    EXPECT_EQ(clean_host_name("ip-10-0-0-1_x.Internal"), std::optional<std::string>("ip-10-0-0-1_x.Internal"));
    EXPECT_EQ(clean_host_name(""), std::nullopt);
    EXPECT_EQ(clean_host_name("."), std::nullopt);
    EXPECT_EQ(clean_host_name("a..b"), std::nullopt);
    EXPECT_EQ(clean_host_name(".a"), std::nullopt);
    EXPECT_EQ(clean_host_name("evil\x1b[2J.example"), std::nullopt);
    EXPECT_EQ(clean_host_name("two words.example"), std::nullopt);
    EXPECT_EQ(clean_host_name(std::string(253, 'a')), std::optional<std::string>(std::string(253, 'a')));
    EXPECT_EQ(clean_host_name(std::string(254, 'a')), std::nullopt);
}

TEST(RateLimiter, BurstThenSteadyRate) {
    RateLimiter limiter(10, 3);  // one per 100 ms, bursts of 3
    const Clock::time_point t0 = Clock::now();
    EXPECT_TRUE(limiter.try_acquire(t0));
    EXPECT_TRUE(limiter.try_acquire(t0));
    EXPECT_TRUE(limiter.try_acquire(t0));
    EXPECT_FALSE(limiter.try_acquire(t0));
    EXPECT_EQ(limiter.wait(t0), 100ms);
    EXPECT_FALSE(limiter.try_acquire(t0 + 99ms));
    EXPECT_TRUE(limiter.try_acquire(t0 + 100ms));
    EXPECT_FALSE(limiter.try_acquire(t0 + 150ms));
    EXPECT_TRUE(limiter.try_acquire(t0 + 200ms));
    // Idle time refills the burst, but no more than the burst.
    const Clock::time_point t1 = t0 + 10s;
    int allowed = 0;
    while (limiter.try_acquire(t1)) ++allowed;
    EXPECT_EQ(allowed, 3);
}

TEST(RateLimiter, ZeroMeansUnlimited) {
    RateLimiter limiter(0, 0);
    const Clock::time_point t0 = Clock::now();
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.try_acquire(t0));
    EXPECT_EQ(limiter.wait(t0), Clock::duration::zero());
}

TEST(NameCache, ReplacesAndEvictsOldestFirst) {
    NameCache cache(2);
    const Clock::time_point t = Clock::now();
    const IpAddress a = IpAddress::parse("192.0.2.1");
    const IpAddress b = IpAddress::parse("192.0.2.2");
    const IpAddress c = IpAddress::parse("2001:db8::3");
    cache.put(a, "a.test", t + 1s);
    cache.put(b, "", t + 1s);
    cache.put(a, "a2.test", t + 2s);  // replaced in place
    ASSERT_NE(cache.find(a), nullptr);
    EXPECT_EQ(cache.find(a)->name, "a2.test");
    EXPECT_EQ(cache.find(a)->expires, t + 2s);
    EXPECT_EQ(cache.find(b)->name, "");
    cache.put(c, "c.test", t + 1s);
    EXPECT_EQ(cache.size(), 2U);
    EXPECT_EQ(cache.find(a), nullptr);  // oldest insertion
    EXPECT_NE(cache.find(b), nullptr);
    EXPECT_NE(cache.find(c), nullptr);
}

TEST(OwnQueryLog, OpenSocketsAndRecentlyClosedOnes) {
    OwnQueryLog log(30s, 4);
    const Clock::time_point t = Clock::now();
    const IpAddress server = IpAddress::parse("10.0.0.53");
    log.opened(7, FlowProtocol::udp, 40000, server, 53, t);
    EXPECT_TRUE(log.matches(FlowProtocol::udp, 40000, server, 53, t));
    EXPECT_FALSE(log.matches(FlowProtocol::udp, 40001, server, 53, t));
    log.closed(7, t + 1s);
    EXPECT_TRUE(log.matches(FlowProtocol::udp, 40000, server, 53, t + 31s));
    EXPECT_FALSE(log.matches(FlowProtocol::udp, 40000, server, 53, t + 32s));
    // Bounded: the oldest record goes first.
    for (int fd = 10; fd < 15; ++fd)
        log.opened(fd, FlowProtocol::tcp, static_cast<std::uint16_t>(50000 + fd), server, 53, t + 2s);
    EXPECT_FALSE(log.matches(FlowProtocol::tcp, 50010, server, 53, t + 2s));
    EXPECT_TRUE(log.matches(FlowProtocol::tcp, 50014, server, 53, t + 2s));
}

}  // namespace
