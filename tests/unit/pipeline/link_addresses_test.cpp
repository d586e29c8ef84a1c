// Who speaks from which MAC, learned from decoded frames: local peers get
// their MAC, routed traffic and the addresses behind a gateway do not.
#include "pipeline/link_addresses.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sockeye::pipeline {
namespace {

constexpr MacAddress kHostMac = {0xb8, 0x27, 0xeb, 0x01, 0x02, 0x03};
constexpr MacAddress kOtherMac = {0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c};
constexpr MacAddress kRouterMac = {0x00, 0x00, 0x0c, 0x07, 0xac, 0x01};

decode::DecodedFrame frame_from(const MacAddress& mac, const std::string& ip, std::uint8_t ttl) {
    decode::DecodedFrame f;
    f.has_mac = true;
    f.src_mac = mac;
    f.src_ip = core::IpAddress::parse(ip);
    f.network = f.src_ip.is_v4() ? decode::Network::ipv4 : decode::Network::ipv6;
    f.ttl = ttl;
    return f;
}

std::optional<MacAddress> mac_of(const LinkAddressBook& book, const std::string& ip) {
    return book.mac_of(core::IpAddress::parse(ip));
}

TEST(LinkAddresses, LocalPeersWithAnInitialHopCountGetTheirMac) {
    LinkAddressBook book;
    book.observe(frame_from(kHostMac, "192.168.1.20", 64));
    book.observe(frame_from(kOtherMac, "192.168.1.30", 128));
    book.observe(frame_from(kOtherMac, "fe80::21b:21ff:fe0a:b0c", 255));
    EXPECT_EQ(mac_of(book, "192.168.1.20"), kHostMac);
    EXPECT_EQ(mac_of(book, "192.168.1.30"), kOtherMac);
    EXPECT_EQ(mac_of(book, "fe80::21b:21ff:fe0a:b0c"), kOtherMac);
    EXPECT_FALSE(mac_of(book, "192.168.1.40"));
}

TEST(LinkAddresses, RoutedFramesTeachNothing) {
    LinkAddressBook book;
    // One hop away: the TTL is one less than where the sender started.
    book.observe(frame_from(kRouterMac, "203.0.113.9", 63));
    book.observe(frame_from(kRouterMac, "2001:db8::9", 127));
    book.observe(frame_from(kRouterMac, "198.51.100.7", 254));
    EXPECT_FALSE(mac_of(book, "203.0.113.9"));
    EXPECT_FALSE(mac_of(book, "2001:db8::9"));
    EXPECT_FALSE(mac_of(book, "198.51.100.7"));
    // The same address heard first from far away, then directly.
    book.observe(frame_from(kRouterMac, "203.0.113.9", 64));
    EXPECT_EQ(mac_of(book, "203.0.113.9"), kRouterMac);
}

TEST(LinkAddresses, AMacCarryingMoreThanTwoIpv4SourcesIsAGateway) {
    LinkAddressBook book;
    // Its own address first, with an initial TTL: a local peer so far.
    book.observe(frame_from(kRouterMac, "192.168.1.1", 64));
    book.observe(frame_from(kRouterMac, "192.168.1.1", 64));  // the same source again
    EXPECT_EQ(mac_of(book, "192.168.1.1"), kRouterMac);
    // A second source (an alias) is still a host.
    book.observe(frame_from(kRouterMac, "192.168.1.2", 64));
    EXPECT_EQ(mac_of(book, "192.168.1.2"), kRouterMac);
    EXPECT_FALSE(book.is_gateway(kRouterMac));
    // A third: it forwards for others, even when their TTL looks initial
    // (a NAT in front of them, a proxy ARP). None of its addresses is labelled.
    book.observe(frame_from(kRouterMac, "198.51.100.7", 64));
    EXPECT_TRUE(book.is_gateway(kRouterMac));
    EXPECT_FALSE(mac_of(book, "192.168.1.1"));
    EXPECT_FALSE(mac_of(book, "192.168.1.2"));
    EXPECT_FALSE(mac_of(book, "198.51.100.7"));
    // Other hosts are untouched.
    book.observe(frame_from(kHostMac, "192.168.1.20", 64));
    EXPECT_EQ(mac_of(book, "192.168.1.20"), kHostMac);
}

TEST(LinkAddresses, RoutedSourcesCountTowardsTheGatewayRule) {
    LinkAddressBook book;
    book.observe(frame_from(kRouterMac, "192.168.1.1", 64));
    book.observe(frame_from(kRouterMac, "203.0.113.9", 50));
    EXPECT_EQ(mac_of(book, "192.168.1.1"), kRouterMac);
    book.observe(frame_from(kRouterMac, "198.51.100.7", 57));
    EXPECT_FALSE(mac_of(book, "192.168.1.1"));
}

TEST(LinkAddresses, AHostsFewIpv6PrefixesAreNoGatewayButManyAre) {
    LinkAddressBook book;
    // Link-local, a global prefix with two addresses (privacy addresses
    // share the /64), a ULA: three prefixes.
    book.observe(frame_from(kHostMac, "fe80::ba27:ebff:fe01:203", 64));
    book.observe(frame_from(kHostMac, "2001:db8:1:2::20", 64));
    book.observe(frame_from(kHostMac, "2001:db8:1:2:a1b2:c3d4:e5f6:789", 64));
    book.observe(frame_from(kHostMac, "fd00:1:2:3::20", 64));
    EXPECT_FALSE(book.is_gateway(kHostMac));
    EXPECT_EQ(mac_of(book, "2001:db8:1:2::20"), kHostMac);
    // A fourth prefix: routed IPv6 from elsewhere.
    book.observe(frame_from(kHostMac, "2001:db8:99:1::1", 64));
    EXPECT_TRUE(book.is_gateway(kHostMac));
    EXPECT_FALSE(mac_of(book, "2001:db8:1:2::20"));
}

TEST(LinkAddresses, AnAddressHeardFromTwoMacsIsAmbiguous) {
    LinkAddressBook book;
    book.observe(frame_from(kHostMac, "192.168.1.20", 64));
    book.observe(frame_from(kOtherMac, "192.168.1.20", 64));
    EXPECT_FALSE(mac_of(book, "192.168.1.20"));
}

TEST(LinkAddresses, FramesWithoutAUsableSenderAreIgnored) {
    LinkAddressBook book;
    auto no_mac = frame_from(kHostMac, "192.168.1.20", 64);
    no_mac.has_mac = false;  // Linux cooked capture, raw IP, loopback
    book.observe(no_mac);
    book.observe(frame_from({0x01, 0x00, 0x5e, 0, 0, 1}, "192.168.1.21", 64));  // group address
    book.observe(frame_from({0, 0, 0, 0, 0, 0}, "192.168.1.22", 64));
    auto arp = frame_from(kHostMac, "192.168.1.23", 64);
    arp.network = decode::Network::arp;
    book.observe(arp);
    EXPECT_EQ(book.addresses(), 0u);
    EXPECT_EQ(book.macs(), 0u);
}

TEST(LinkAddresses, BoundedInAddressesAndMacs) {
    LinkAddressBook book;
    // One MAC per address: every one a host, until the bounds stop learning.
    const std::size_t n = LinkAddressBook::kMaxMacs + 100;
    for (std::size_t i = 0; i < n; ++i) {
        MacAddress mac = {0x00, 0x1b, 0x21, static_cast<std::uint8_t>(i >> 16),
                          static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
        book.observe(frame_from(mac, core::IpAddress::v4(0x0a000000U + static_cast<std::uint32_t>(i))
                                         .to_string(),
                                64));
    }
    EXPECT_EQ(book.macs(), LinkAddressBook::kMaxMacs);
    EXPECT_LE(book.addresses(), LinkAddressBook::kMaxAddresses);
    // A MAC past the bound is not tracked, so its address gets nothing.
    EXPECT_FALSE(book.mac_of(core::IpAddress::v4(0x0a000000U + static_cast<std::uint32_t>(n - 1))));
    EXPECT_TRUE(book.mac_of(core::IpAddress::v4(0x0a000000U)));
}

}  // namespace
}  // namespace sockeye::pipeline
