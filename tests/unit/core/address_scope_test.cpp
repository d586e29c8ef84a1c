// Address ranges: what the geo lookup labels instead of looking up, and what
// the reverse resolver leaves alone.
#include <gtest/gtest.h>

#include "core/address_scope.hpp"

namespace sockeye::core {
namespace {

AddressScope scope(const char* text) { return scope_of(IpAddress::parse(text)); }

TEST(AddressScope, Ipv4Ranges) {
    EXPECT_EQ(scope("8.8.8.8"), AddressScope::public_);
    EXPECT_EQ(scope("192.0.2.1"), AddressScope::documentation);
    EXPECT_EQ(scope("10.0.0.1"), AddressScope::private_);
    EXPECT_EQ(scope("172.16.0.1"), AddressScope::private_);
    EXPECT_EQ(scope("172.31.255.1"), AddressScope::private_);
    EXPECT_EQ(scope("172.32.0.1"), AddressScope::public_);
    EXPECT_EQ(scope("192.168.1.1"), AddressScope::private_);
    EXPECT_EQ(scope("100.64.0.1"), AddressScope::cgnat);
    EXPECT_EQ(scope("100.128.0.1"), AddressScope::public_);
    EXPECT_EQ(scope("127.0.0.53"), AddressScope::loopback);
    EXPECT_EQ(scope("169.254.1.1"), AddressScope::link_local);
    EXPECT_EQ(scope("224.0.0.251"), AddressScope::multicast);
    EXPECT_EQ(scope("240.0.0.1"), AddressScope::reserved);
    EXPECT_EQ(scope("255.255.255.255"), AddressScope::reserved);
    EXPECT_EQ(scope("0.0.0.0"), AddressScope::unspecified);
}

TEST(AddressScope, Ipv6Ranges) {
    EXPECT_EQ(scope("2a00:1450::1"), AddressScope::public_);
    EXPECT_EQ(scope("2001:db8::1"), AddressScope::documentation);
    EXPECT_EQ(scope("3fff::1"), AddressScope::documentation);
    EXPECT_EQ(scope("3fff:1000::1"), AddressScope::public_);
    EXPECT_EQ(scope("::1"), AddressScope::loopback);
    EXPECT_EQ(scope("::"), AddressScope::unspecified);
    EXPECT_EQ(scope("fe80::1"), AddressScope::link_local);
    EXPECT_EQ(scope("fd00::1"), AddressScope::private_);
    EXPECT_EQ(scope("ff02::fb"), AddressScope::multicast);
    EXPECT_EQ(scope("::ffff:192.168.0.1"), AddressScope::private_);
    EXPECT_EQ(scope("::ffff:8.8.4.4"), AddressScope::public_);
    EXPECT_EQ(scope_of(IpAddress{}), AddressScope::unspecified);
}

TEST(AddressScope, NamesAndUnmapping) {
    EXPECT_EQ(scope_name(AddressScope::link_local), "link-local");
    EXPECT_EQ(scope_name(AddressScope::public_), "public");
    EXPECT_EQ(unmapped(IpAddress::parse("::ffff:8.8.4.4")), IpAddress::parse("8.8.4.4"));
    EXPECT_EQ(unmapped(IpAddress::parse("2001:db8::1")), IpAddress::parse("2001:db8::1"));
}

}  // namespace
}  // namespace sockeye::core
