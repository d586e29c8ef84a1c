// The address set behind the "not local" shortcut: what it rules out, what
// it never rules out, and when it says it changed.
#include <gtest/gtest.h>

#include <algorithm>

#include "host/local_addresses.hpp"
#include "host/socket_tuple.hpp"

namespace sockeye::host {
namespace {

core::IpAddress ip(const char* s) { return core::IpAddress::parse(s); }

InterfaceAddresses addresses(std::vector<core::IpAddress> own, std::vector<core::IpAddress> broadcast = {}) {
    return InterfaceAddresses{std::move(own), std::move(broadcast), {}};
}

const core::IpAddress kRemote = ip("203.0.113.9");
const core::IpAddress kOther = ip("198.51.100.7");

TEST(LocalAddressSet, RulesNothingOutBeforeItKnowsTheAddresses) {
    LocalAddressSet set;
    EXPECT_FALSE(set.known());
    EXPECT_TRUE(set.may_be_local(kProtoTcp, kRemote, kOther));
    EXPECT_TRUE(set.may_be_local(kProtoTcp, ip("2001:db8::9"), ip("2001:db8::8")));
    EXPECT_TRUE(set.is_own(kRemote));
}

TEST(LocalAddressSet, AFlowWithOneOfOurAddressesAtEitherEndMayBeLocal) {
    LocalAddressSet set;
    ASSERT_TRUE(set.update(addresses({ip("192.0.2.10"), ip("2001:db8::10"), ip("127.0.0.1")},
                                     {ip("192.0.2.255")})));
    EXPECT_TRUE(set.known());
    EXPECT_TRUE(set.may_be_local(kProtoTcp, ip("192.0.2.10"), kRemote));
    EXPECT_TRUE(set.may_be_local(kProtoTcp, kRemote, ip("192.0.2.10")));
    EXPECT_TRUE(set.may_be_local(kProtoTcp, ip("2001:db8::10"), ip("2001:db8::99")));
    EXPECT_TRUE(set.may_be_local(kProtoTcp, ip("::ffff:192.0.2.10"), kRemote));  // a v4-mapped socket address
    EXPECT_TRUE(set.may_be_local(kProtoTcp, ip("127.0.0.2"), ip("127.0.0.3")));  // loopback without being listed
    EXPECT_TRUE(set.may_be_local(kProtoTcp, ip("::1"), ip("::1")));
    EXPECT_TRUE(set.is_own(ip("192.0.2.10")));
    EXPECT_TRUE(set.is_own(ip("::1")));
    EXPECT_FALSE(set.is_own(kRemote));
    // Neither end ours: forwarded, bridged or mirrored.
    EXPECT_FALSE(set.may_be_local(kProtoTcp, kRemote, kOther));
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("192.0.2.11"), kOther));
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("2001:db8::11"), ip("2001:db8::12")));
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("::ffff:203.0.113.9"), kOther));
}

TEST(LocalAddressSet, GroupDestinationsMayBeLocal) {
    // mDNS and SSDP sockets here receive what other hosts send to their
    // groups; a DHCP client sends from 0.0.0.0 before it has an address;
    // a socket bound to the wildcard receives our subnet's broadcasts.
    LocalAddressSet set;
    set.update(addresses({ip("192.0.2.10")}, {ip("192.0.2.255")}));
    for (const char* group : {"224.0.0.251", "239.255.255.250", "255.255.255.255", "ff02::fb", "192.0.2.255"}) {
        EXPECT_TRUE(set.may_be_local(kProtoUdp, kRemote, ip(group))) << group;
    }
    EXPECT_TRUE(set.may_be_local(kProtoUdp, ip("0.0.0.0"), ip("255.255.255.255")));
    EXPECT_TRUE(set.may_be_local(kProtoUdp, ip("::"), ip("ff02::1:2")));
    // TCP has no group destinations: replies to spoofed multicast sources.
    EXPECT_FALSE(set.may_be_local(kProtoTcp, kRemote, ip("233.37.156.140")));
    EXPECT_FALSE(set.may_be_local(kProtoTcp, kRemote, ip("192.0.2.255")));
    // Someone else's subnet broadcast is not a group of ours.
    EXPECT_FALSE(set.may_be_local(kProtoUdp, kRemote, ip("198.51.100.255")));
}

TEST(LocalAddressSet, SpoofedSourcesRuleNothingIn) {
    // A multicast, broadcast or loopback source towards an address not ours is no sender's real address (spoofed floods use
    // them; the kernel sends none of them off loopback): no socket here
    // can own that flow.
    LocalAddressSet set;
    set.update(addresses({ip("192.0.2.10"), ip("127.0.0.1")}));
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("239.50.212.150"), kOther));
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("255.255.255.255"), kOther));
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("ff02::1"), ip("2001:db8::12")));
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("127.203.24.202"), kOther));
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("::1"), ip("2001:db8::12")));
    // Unspecified is not spoofing: a wildcard socket's own tuple.
    EXPECT_TRUE(set.may_be_local(kProtoTcp, ip("0.0.0.0"), kOther));
    EXPECT_TRUE(set.may_be_local(kProtoUdp, ip("::"), ip("::")));
    EXPECT_TRUE(is_group_address(ip("239.50.212.150")));
    EXPECT_FALSE(is_group_address(ip("192.0.2.10")));
    EXPECT_FALSE(is_group_address(ip("fe80::1")));
}

TEST(LocalAddressSet, UpdateSaysWhetherTheSetChanged) {
    LocalAddressSet set;
    EXPECT_TRUE(set.update(addresses({ip("192.0.2.10"), ip("192.0.2.11")})));
    // Same addresses in another order (and repeated): no change.
    EXPECT_FALSE(set.update(addresses({ip("192.0.2.11"), ip("192.0.2.10"), ip("192.0.2.11")})));
    EXPECT_EQ(set.changes(), 1u);
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("192.0.2.12"), kRemote));
    EXPECT_TRUE(set.update(addresses({ip("192.0.2.10"), ip("192.0.2.11"), ip("192.0.2.12")})));
    EXPECT_TRUE(set.may_be_local(kProtoTcp, ip("192.0.2.12"), kRemote));
    EXPECT_TRUE(set.update(addresses({ip("192.0.2.10")})));
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("192.0.2.11"), kRemote));
    EXPECT_EQ(set.changes(), 3u);
}

TEST(LocalAddressSet, AContainersAddressMayBeLocalWithoutBeingOurs) {
    LocalAddressSet set;
    InterfaceAddresses a = addresses({ip("192.0.2.10")});
    a.guests = {ip("10.88.0.5")};
    ASSERT_TRUE(set.update(a));
    EXPECT_TRUE(set.may_be_local(kProtoTcp, ip("10.88.0.5"), kRemote));
    EXPECT_TRUE(set.may_be_local(kProtoUdp, kRemote, ip("::ffff:10.88.0.5")));
    EXPECT_FALSE(set.is_own(ip("10.88.0.5")));  // the host has no socket on it
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("10.88.0.6"), kRemote));
    // The container went away: a change, and its address is foreign again.
    a.guests.clear();
    EXPECT_TRUE(set.update(a));
    EXPECT_FALSE(set.may_be_local(kProtoTcp, ip("10.88.0.5"), kRemote));
}

TEST(LocalAddressSet, NoAddressesMeansUnknownAgain) {
    // getifaddrs() failing must not turn every flow into "not local".
    LocalAddressSet set;
    set.update(addresses({ip("192.0.2.10")}));
    EXPECT_TRUE(set.update(addresses({})));
    EXPECT_FALSE(set.known());
    EXPECT_TRUE(set.may_be_local(kProtoTcp, kRemote, kOther));
}

TEST(InterfaceAddresses, OneWalkGivesSortedOwnAndBroadcastAddresses) {
    const InterfaceAddresses found = interface_addresses();
    EXPECT_EQ(found.own, local_addresses());
    EXPECT_TRUE(std::is_sorted(found.own.begin(), found.own.end()));
    EXPECT_TRUE(std::adjacent_find(found.own.begin(), found.own.end()) == found.own.end());
    EXPECT_TRUE(std::is_sorted(found.broadcast.begin(), found.broadcast.end()));
    for (const auto& b : found.broadcast) EXPECT_TRUE(b.is_v4()) << b.to_string();
}

}  // namespace
}  // namespace sockeye::host
