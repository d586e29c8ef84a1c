// ReverseResolver against DNS servers the test runs on 127.0.0.1: a real
// dnsmasq for answers, a silent UDP server for timeouts and in-flight limits.
#include "enrich/reverse_resolver.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "enrich/host_namer.hpp"
#include "unit/enrich/dns_test_servers.hpp"
#include "unit/support/result_value.hpp"

namespace {

using namespace std::chrono_literals;
using sockeye::core::IpAddress;
using sockeye::enrich::HostNamer;
using sockeye::enrich::ResolverOptions;
using sockeye::enrich::ReverseResolver;
using sockeye::enrich::test::Dnsmasq;
using sockeye::enrich::test::SilentServer;
using sockeye::enrich::test::wait_until;
using sockeye::snapshot::FlowProtocol;

const char* const kHosts =
    "192.0.2.10 alpha.sockeye.test\n"
    "192.0.2.11 gamma.sockeye.test\n"
    "10.1.2.3 lan-box.sockeye.test\n"
    "2001:db8::10 beta.sockeye.test\n";

// Only the server the test started, and no /etc/hosts.
ResolverOptions options_for(const std::string& servers) {
    ResolverOptions o;
    o.servers = servers;
    o.use_hosts_file = false;
    o.timeout = 1000ms;
    o.tries = 1;
    return o;
}

std::unique_ptr<ReverseResolver> start(const ResolverOptions& o) {
    return sockeye::testing::value_or_fail(ReverseResolver::start(o));
}

IpAddress ip(const char* text) { return IpAddress::parse(text); }

class ReverseResolverDns : public ::testing::Test {
protected:
    void SetUp() override {
        if (!dns_.ok()) GTEST_SKIP() << "dnsmasq (Debian dnsmasq-base) did not start";
    }
    Dnsmasq dns_{kHosts};
};

TEST_F(ReverseResolverDns, NamesIpv4AndIpv6FromPtrRecords) {
    auto r = start(options_for(dns_.servers()));
    ASSERT_NE(r, nullptr);
    r->request(ip("192.0.2.10"));
    r->request(ip("2001:db8::10"));
    ASSERT_TRUE(wait_until([&] { return r->stats().named == 2; }, 5000ms));
    EXPECT_EQ(r->name(ip("192.0.2.10")), std::optional<std::string>("alpha.sockeye.test"));
    EXPECT_EQ(r->name(ip("2001:db8::10")), std::optional<std::string>("beta.sockeye.test"));
    EXPECT_EQ(dns_.ptr_queries("10.2.0.192.in-addr.arpa"), 1);
    EXPECT_EQ(dns_.ptr_queries("0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"), 1);
}

TEST_F(ReverseResolverDns, CachedNameIsNotAskedForAgainUntilItExpires) {
    ResolverOptions o = options_for(dns_.servers());
    o.positive_ttl = 1s;
    auto r = start(o);
    ASSERT_NE(r, nullptr);
    r->request(ip("192.0.2.10"));
    r->request(ip("192.0.2.10"));  // still pending: merged
    ASSERT_TRUE(wait_until([&] { return r->name(ip("192.0.2.10")).has_value(); }, 5000ms));
    for (int i = 0; i < 10; ++i) r->request(ip("192.0.2.10"));
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(r->stats().requested, 1U);
    EXPECT_EQ(r->stats().started, 1U);
    EXPECT_EQ(dns_.ptr_queries("10.2.0.192.in-addr.arpa"), 1);

    // Past its TTL the name is still shown while a refresh is asked for.
    std::this_thread::sleep_for(1100ms);
    EXPECT_EQ(r->name(ip("192.0.2.10")), std::optional<std::string>("alpha.sockeye.test"));
    r->request(ip("192.0.2.10"));
    ASSERT_TRUE(wait_until([&] { return r->stats().named == 2; }, 5000ms));
    EXPECT_EQ(dns_.ptr_queries("10.2.0.192.in-addr.arpa"), 2);
}

TEST_F(ReverseResolverDns, AddressWithoutPtrIsCachedAsNoName) {
    ResolverOptions o = options_for(dns_.servers());
    o.negative_ttl = 1s;
    auto r = start(o);
    ASSERT_NE(r, nullptr);
    r->request(ip("192.0.2.99"));
    ASSERT_TRUE(wait_until([&] { return r->stats().not_found == 1; }, 5000ms));
    EXPECT_EQ(r->name(ip("192.0.2.99")), std::nullopt);
    EXPECT_EQ(r->stats().failed, 0U);
    for (int i = 0; i < 5; ++i) r->request(ip("192.0.2.99"));
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(dns_.ptr_queries("99.2.0.192.in-addr.arpa"), 1);

    std::this_thread::sleep_for(1000ms);  // negative TTL over: asked again
    r->request(ip("192.0.2.99"));
    ASSERT_TRUE(wait_until([&] { return r->stats().not_found == 2; }, 5000ms));
    EXPECT_EQ(dns_.ptr_queries("99.2.0.192.in-addr.arpa"), 2);
}

TEST_F(ReverseResolverDns, QueriesArePacedToTheConfiguredRate) {
    ResolverOptions o = options_for(dns_.servers());
    o.queries_per_second = 4;  // a burst of 4, then one every 250 ms
    auto r = start(o);
    ASSERT_NE(r, nullptr);
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 20; i < 32; ++i) r->request(ip(("192.0.2." + std::to_string(i)).c_str()));
    std::this_thread::sleep_for(400ms);
    // Pacing is an upper bound: 4 + the one due at 250 ms (+1 for slack). A
    // loaded machine may start fewer by now, so the burst is awaited below.
    EXPECT_LE(r->stats().started, 6U);
    EXPECT_TRUE(wait_until([&] { return r->stats().started >= 4; }, 3000ms));
    ASSERT_TRUE(wait_until([&] { return r->stats().not_found == 12; }, 8000ms));
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(elapsed, 1800ms);  // the 12th may start 8 * 250 ms after the burst
    int reached = 0;
    for (int i = 20; i < 32; ++i)
        reached += dns_.ptr_queries(std::to_string(i) + ".2.0.192.in-addr.arpa");
    EXPECT_EQ(reached, 12);
}

TEST_F(ReverseResolverDns, LocalAddressesAreSkippedWhenConfigured) {
    ResolverOptions o = options_for(dns_.servers());
    o.resolve_local = false;
    auto r = start(o);
    ASSERT_NE(r, nullptr);
    r->request(ip("10.1.2.3"));
    r->request(ip("127.0.0.1"));
    r->request(ip("fe80::1"));
    r->request(ip("224.0.0.251"));
    r->request(ip("192.0.2.10"));
    ASSERT_TRUE(wait_until([&] { return r->stats().named == 1; }, 5000ms));
    EXPECT_EQ(r->stats().requested, 1U);
    EXPECT_EQ(r->name(ip("10.1.2.3")), std::nullopt);
    EXPECT_EQ(dns_.ptr_queries("3.2.1.10.in-addr.arpa"), 0);
}

TEST_F(ReverseResolverDns, LocalAddressesAreResolvedByDefault) {
    auto r = start(options_for(dns_.servers()));
    ASSERT_NE(r, nullptr);
    r->request(ip("10.1.2.3"));
    r->request(ip("ff02::1"));  // multicast: never
    ASSERT_TRUE(wait_until([&] { return r->name(ip("10.1.2.3")).has_value(); }, 5000ms));
    EXPECT_EQ(*r->name(ip("10.1.2.3")), "lan-box.sockeye.test");
    EXPECT_EQ(r->stats().requested, 1U);
}

TEST_F(ReverseResolverDns, HostNamerPrefersSniffedNamesThenPtr) {
    auto r = start(options_for(dns_.servers()));
    ASSERT_NE(r, nullptr);
    std::vector<IpAddress> sniffed_asked;
    HostNamer namer(
        [&](const IpAddress& a) {
            sniffed_asked.push_back(a);
            if (a == ip("192.0.2.10")) return std::vector<std::string>{"www.example.test", "old.example.test"};
            return std::vector<std::string>{};
        },
        r.get());
    EXPECT_EQ(namer.name_for(ip("192.0.2.10")), "www.example.test");
    EXPECT_EQ(r->stats().requested, 0U);  // a sniffed name costs no query

    EXPECT_EQ(namer.name_for(ip("192.0.2.11")), "");  // unknown yet: asked for
    ASSERT_TRUE(wait_until([&] { return namer.name_for(ip("192.0.2.11")) == "gamma.sockeye.test"; }, 5000ms));
    EXPECT_EQ(r->stats().requested, 1U);
    EXPECT_EQ(dns_.ptr_queries("10.2.0.192.in-addr.arpa"), 0);
    EXPECT_GE(sniffed_asked.size(), 3U);
}

TEST(HostNamer, WithoutResolverOnlySniffedNames) {
    HostNamer namer(
        [](const IpAddress& a) {
            return a == IpAddress::parse("198.51.100.7") ? std::vector<std::string>{"seen.example.test"}
                                                         : std::vector<std::string>{};
        },
        nullptr);
    EXPECT_EQ(namer.name_for(IpAddress::parse("198.51.100.7")), "seen.example.test");
    EXPECT_EQ(namer.name_for(IpAddress::parse("198.51.100.8")), "");
    EXPECT_EQ(namer.name_for(IpAddress{}), "");
}

TEST(ReverseResolverSilent, InFlightLimitAndTimeouts) {
    SilentServer server;
    ASSERT_NE(server.port(), 0);
    ResolverOptions o = options_for(server.servers());
    o.queries_per_second = 0;
    o.max_in_flight = 2;
    o.timeout = 1000ms;
    auto r = start(o);
    ASSERT_NE(r, nullptr);
    for (int i = 1; i <= 5; ++i) r->request(ip(("198.51.100." + std::to_string(i)).c_str()));
    // Only two lookups may be out at once; the rest wait for the timeouts.
    EXPECT_EQ(server.count(600ms), 2);
    EXPECT_EQ(r->stats().started, 2U);
    EXPECT_EQ(r->stats().in_flight_peak, 2U);
    ASSERT_TRUE(wait_until([&] { return r->stats().failed >= 2; }, 3000ms));
    EXPECT_EQ(r->name(ip("198.51.100.1")), std::nullopt);
    EXPECT_EQ(server.count(500ms), 2);  // the next two
    EXPECT_EQ(r->stats().in_flight_peak, 2U);
}

TEST(ReverseResolverSilent, RecognisesItsOwnQuerySockets) {
    SilentServer server;
    ASSERT_NE(server.port(), 0);
    auto r = start(options_for(server.servers()));
    ASSERT_NE(r, nullptr);
    r->request(ip("198.51.100.20"));
    const std::uint16_t src = server.receive(2000ms);
    ASSERT_NE(src, 0);
    const IpAddress lo = ip("127.0.0.1");
    EXPECT_TRUE(r->is_own_query(FlowProtocol::udp, src, lo, server.port()));
    EXPECT_FALSE(r->is_own_query(FlowProtocol::tcp, src, lo, server.port()));
    EXPECT_FALSE(r->is_own_query(FlowProtocol::udp, static_cast<std::uint16_t>(src + 1), lo, server.port()));
    EXPECT_FALSE(r->is_own_query(FlowProtocol::udp, src, ip("127.0.0.2"), server.port()));
    EXPECT_FALSE(r->is_own_query(FlowProtocol::udp, src, lo, static_cast<std::uint16_t>(server.port() + 1)));
    // Still recognised after the lookup timed out and c-ares closed the socket:
    // the flow outlives the socket in the table.
    ASSERT_TRUE(wait_until([&] { return r->stats().failed == 1; }, 3000ms));
    std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(r->is_own_query(FlowProtocol::udp, src, lo, server.port()));
}

TEST(ReverseResolverSilent, QueueIsBoundedAndShutdownDoesNotWait) {
    SilentServer server;
    ASSERT_NE(server.port(), 0);
    ResolverOptions o = options_for(server.servers());
    o.timeout = 10000ms;
    o.max_in_flight = 1;
    o.max_queued = 3;
    auto r = start(o);
    ASSERT_NE(r, nullptr);
    r->request(ip("198.51.100.30"));
    ASSERT_NE(server.receive(2000ms), 0);  // in flight, never answered
    for (int i = 31; i < 40; ++i) r->request(ip(("198.51.100." + std::to_string(i)).c_str()));
    const auto stats = r->stats();
    EXPECT_EQ(stats.requested, 4U);  // 1 in flight + 3 queued
    EXPECT_EQ(stats.dropped, 6U);
    const auto t0 = std::chrono::steady_clock::now();
    r.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1000ms);
}

TEST(ReverseResolverSilent, BadServerListIsAnError) {
    ResolverOptions o = options_for("not-a-server:x");
    const sockeye::core::Error error = sockeye::testing::error_of(ReverseResolver::start(o));
    EXPECT_EQ(error.code, sockeye::core::ErrorCode::usage);
    EXPECT_NE(error.message.find("bad server list"), std::string::npos) << error.message;
}

}  // namespace
