// The address set behind the "not local" shortcut: what it rules out, what
// it never rules out, and when it says it changed.
#include <gtest/gtest.h>

#include <algorithm>

#include "host/local_addresses.hpp"

namespace sockeye::host {
namespace {

core::IpAddress ip(const char* s) { return core::IpAddress::parse(s); }

InterfaceAddresses addresses(std::vector<core::IpAddress> own, std::vector<core::IpAddress> broadcast = {}) {
    return InterfaceAddresses{std::move(own), std::move(broadcast)};
}

TEST(LocalAddressSet, RulesNothingOutBeforeItKnowsTheAddresses) {
    LocalAddressSet set;
    EXPECT_FALSE(set.known());
    EXPECT_TRUE(set.may_be_local(ip("203.0.113.9")));
    EXPECT_TRUE(set.may_be_local(ip("2001:db8::9")));
}

TEST(LocalAddressSet, OwnAddressesAreLocalOthersAreNot) {
    LocalAddressSet set;
    ASSERT_TRUE(set.update(addresses({ip("192.0.2.10"), ip("2001:db8::10"), ip("127.0.0.1")},
                                     {ip("192.0.2.255")})));
    EXPECT_TRUE(set.known());
    EXPECT_TRUE(set.may_be_local(ip("192.0.2.10")));
    EXPECT_TRUE(set.may_be_local(ip("2001:db8::10")));
    EXPECT_TRUE(set.may_be_local(ip("::ffff:192.0.2.10")));  // a v4-mapped socket address
    EXPECT_TRUE(set.may_be_local(ip("192.0.2.255")));        // this subnet's broadcast
    EXPECT_FALSE(set.may_be_local(ip("192.0.2.11")));
    EXPECT_FALSE(set.may_be_local(ip("203.0.113.9")));
    EXPECT_FALSE(set.may_be_local(ip("2001:db8::11")));
    EXPECT_FALSE(set.may_be_local(ip("::ffff:203.0.113.9")));
}

TEST(LocalAddressSet, NeverRulesOutAddressesNoInterfaceOwns) {
    // A DHCP client sends from 0.0.0.0 to 255.255.255.255; mDNS and SSDP
    // sockets receive multicast; 127.0.0.2 is loopback without being listed.
    LocalAddressSet set;
    set.update(addresses({ip("192.0.2.10")}));
    for (const char* a : {"0.0.0.0", "255.255.255.255", "224.0.0.251", "239.255.255.250", "127.0.0.2",
                          "::", "::1", "ff02::fb"}) {
        EXPECT_TRUE(set.may_be_local(ip(a))) << a;
        EXPECT_TRUE(is_host_neutral(ip(a))) << a;
    }
    EXPECT_FALSE(is_host_neutral(ip("192.0.2.10")));
    EXPECT_FALSE(is_host_neutral(ip("fe80::1")));
}

TEST(LocalAddressSet, UpdateSaysWhetherTheSetChanged) {
    LocalAddressSet set;
    EXPECT_TRUE(set.update(addresses({ip("192.0.2.10"), ip("192.0.2.11")})));
    // Same addresses in another order (and repeated): no change.
    EXPECT_FALSE(set.update(addresses({ip("192.0.2.11"), ip("192.0.2.10"), ip("192.0.2.11")})));
    EXPECT_EQ(set.changes(), 1u);
    EXPECT_FALSE(set.may_be_local(ip("192.0.2.12")));
    EXPECT_TRUE(set.update(addresses({ip("192.0.2.10"), ip("192.0.2.11"), ip("192.0.2.12")})));
    EXPECT_TRUE(set.may_be_local(ip("192.0.2.12")));
    EXPECT_TRUE(set.update(addresses({ip("192.0.2.10")})));
    EXPECT_FALSE(set.may_be_local(ip("192.0.2.11")));
    EXPECT_EQ(set.changes(), 3u);
}

TEST(LocalAddressSet, NoAddressesMeansUnknownAgain) {
    // getifaddrs() failing must not turn every flow into "not local".
    LocalAddressSet set;
    set.update(addresses({ip("192.0.2.10")}));
    EXPECT_TRUE(set.update(addresses({})));
    EXPECT_FALSE(set.known());
    EXPECT_TRUE(set.may_be_local(ip("203.0.113.9")));
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
