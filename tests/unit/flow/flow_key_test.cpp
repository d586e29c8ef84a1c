#include "flow/flow_key.hpp"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstring>
#include <unordered_set>

#include "unit/flow/frame_builder.hpp"

namespace sockeye::flow {
namespace {

using test::ip4;

TEST(FlowKey, BothDirectionsMapToOneKey) {
    const auto c = ip4(10, 0, 0, 1);
    const auto s = ip4(10, 0, 0, 2);
    KeyedFrame fwd;
    KeyedFrame rev;
    ASSERT_TRUE(make_flow_key(test::tcp(0, c, 40000, s, 80, {}), fwd));
    ASSERT_TRUE(make_flow_key(test::tcp(0, s, 80, c, 40000, {}), rev));
    EXPECT_EQ(fwd.key, rev.key);
    EXPECT_EQ(hash_key(fwd.key), hash_key(rev.key));
    EXPECT_NE(fwd.sender, rev.sender);
    EXPECT_EQ(fwd.key.protocol, snapshot::FlowProtocol::tcp);
    EXPECT_EQ(key_address(fwd.key, fwd.sender), c);
    EXPECT_EQ(key_port(fwd.key, fwd.sender), 40000);
    EXPECT_EQ(key_address(fwd.key, other_side(fwd.sender)), s);
}

TEST(FlowKey, SameAddressDifferentPortsStillCanonical) {
    const auto h = ip4(127, 0, 0, 1);
    KeyedFrame x;
    KeyedFrame y;
    ASSERT_TRUE(make_flow_key(test::udp(0, h, 5000, h, 53), x));
    ASSERT_TRUE(make_flow_key(test::udp(0, h, 53, h, 5000), y));
    EXPECT_EQ(x.key, y.key);
    EXPECT_NE(x.sender, y.sender);
}

TEST(FlowKey, VlanSeparatesFlows) {
    auto f = test::udp(0, ip4(10, 0, 0, 1), 1, ip4(10, 0, 0, 2), 2);
    f.vlan_depth = 1;
    f.vlan_outer = 10;
    KeyedFrame x;
    ASSERT_TRUE(make_flow_key(f, x));
    f.vlan_outer = 20;
    KeyedFrame y;
    ASSERT_TRUE(make_flow_key(f, y));
    EXPECT_NE(x.key, y.key);
    EXPECT_EQ(x.key.vlan, 10);
}

TEST(FlowKey, IcmpEchoUsesIdentifierOnBothSides) {
    const auto a = ip4(10, 0, 0, 1);
    const auto b = ip4(8, 8, 8, 8);
    KeyedFrame req;
    KeyedFrame rep;
    KeyedFrame other_id;
    ASSERT_TRUE(make_flow_key(test::icmp_echo(0, a, b, 7, false), req));
    ASSERT_TRUE(make_flow_key(test::icmp_echo(0, b, a, 7, true), rep));
    ASSERT_TRUE(make_flow_key(test::icmp_echo(0, a, b, 8, false), other_id));
    EXPECT_EQ(req.key, rep.key);
    EXPECT_NE(req.key, other_id.key);
    EXPECT_EQ(req.key.port_a, 7);
    EXPECT_EQ(req.key.port_b, 7);
    KeyedFrame unreachable;
    ASSERT_TRUE(make_flow_key(test::icmp_other(0, b, a, 3), unreachable));
    EXPECT_EQ(unreachable.key.port_a, 0);
    EXPECT_NE(unreachable.key, req.key);
}

TEST(FlowKey, ArpUsesProtocolAddresses) {
    const auto a = ip4(192, 168, 1, 1);
    const auto b = ip4(192, 168, 1, 20);
    KeyedFrame req;
    KeyedFrame rep;
    ASSERT_TRUE(make_flow_key(test::arp(0, b, a, 1), req));
    ASSERT_TRUE(make_flow_key(test::arp(0, a, b, 2), rep));
    EXPECT_EQ(req.key, rep.key);
    EXPECT_EQ(req.key.protocol, snapshot::FlowProtocol::arp);
    EXPECT_EQ(key_address(req.key, req.sender), b);
}

TEST(FlowKey, NonFirstFragmentsHaveNoKey) {
    auto f = test::udp(0, ip4(10, 0, 0, 1), 1, ip4(10, 0, 0, 2), 2);
    f.is_fragment = true;
    f.is_first_fragment = true;
    KeyedFrame k;
    EXPECT_TRUE(make_flow_key(f, k));
    f.is_first_fragment = false;
    f.fragment_offset = 1480;
    f.transport = decode::Transport::none;
    EXPECT_FALSE(make_flow_key(f, k));
}

TEST(FlowKey, NonIpHasNoKey) {
    decode::DecodedFrame f;
    f.network = decode::Network::other;
    KeyedFrame k;
    EXPECT_FALSE(make_flow_key(f, k));
}

TEST(FlowKey, OtherProtocolsKeyOnProtocolNumber) {
    auto gre = test::ip_frame(0, ip4(1, 1, 1, 1), ip4(2, 2, 2, 2), 100);
    gre.ip_proto = 47;
    gre.transport = decode::Transport::other;
    auto esp = gre;
    esp.ip_proto = 50;
    KeyedFrame x;
    KeyedFrame y;
    ASSERT_TRUE(make_flow_key(gre, x));
    ASSERT_TRUE(make_flow_key(esp, y));
    EXPECT_NE(x.key, y.key);
    EXPECT_EQ(x.key.protocol, snapshot::FlowProtocol::other);
}

TEST(FlowKey, Ipv6KeepsFamily) {
    std::array<std::uint8_t, 16> raw{};
    raw[0] = 0x20;
    raw[1] = 0x01;
    raw[15] = 1;
    const auto a = core::IpAddress::v6(raw);
    raw[15] = 2;
    const auto b = core::IpAddress::v6(raw);
    KeyedFrame k;
    ASSERT_TRUE(make_flow_key(test::udp(0, a, 1, b, 2), k));
    EXPECT_EQ(key_address(k.key, Side::a), a);
    EXPECT_TRUE(key_address(k.key, Side::b).is_v6());
}

TEST(FlowKey, HashSpreadsNeighbouringKeys) {
    // Sequential ports and addresses must not collide, and flipping one input
    // bit should flip about half of the output bits.
    std::unordered_set<std::uint64_t> seen;
    FlowKey k;
    k.family = 4;
    int flips = 0;
    int trials = 0;
    for (std::uint32_t i = 0; i < 20000; ++i) {
        k.port_a = static_cast<std::uint16_t>(i);
        k.addr_b[3] = static_cast<std::uint8_t>(i >> 16U);
        const std::uint64_t h = hash_key(k);
        seen.insert(h);
        if (i < 200) {
            FlowKey flipped = k;
            flipped.addr_a[i % 16] ^= 0x01;
            flips += std::popcount(h ^ hash_key(flipped));
            ++trials;
        }
    }
    EXPECT_EQ(seen.size(), 20000U);
    const double mean = static_cast<double>(flips) / trials;
    EXPECT_GT(mean, 28.0);
    EXPECT_LT(mean, 36.0);
}

}  // namespace
}  // namespace sockeye::flow
