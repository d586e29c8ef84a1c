#include "filter/values.hpp"

#include <gtest/gtest.h>

namespace sockeye::filter {
namespace {

TEST(FilterValues, Counts) {
    EXPECT_EQ(parse_quantity("10", Unit::count), 10.0);
    EXPECT_EQ(parse_quantity("1.5k", Unit::count), 1500.0);
    EXPECT_EQ(parse_quantity("2M", Unit::count), 2e6);
    EXPECT_FALSE(parse_quantity("2MiB", Unit::count));
}

TEST(FilterValues, BytesDecimalAndBinary) {
    EXPECT_EQ(parse_quantity("1M", Unit::bytes), 1e6);
    EXPECT_EQ(parse_quantity("1MB", Unit::bytes), 1e6);
    EXPECT_EQ(parse_quantity("1mb", Unit::bytes), 1e6);
    EXPECT_EQ(parse_quantity("1MiB", Unit::bytes), 1048576.0);
    EXPECT_EQ(parse_quantity("1Mi", Unit::bytes), 1048576.0);
    EXPECT_EQ(parse_quantity("10KiB", Unit::bytes), 10240.0);
    EXPECT_EQ(parse_quantity("10k", Unit::bytes), 10000.0);
    EXPECT_EQ(parse_quantity("2G", Unit::bytes), 2e9);
    EXPECT_EQ(parse_quantity("1GiB", Unit::bytes), 1073741824.0);
    EXPECT_EQ(parse_quantity("1T", Unit::bytes), 1e12);
    EXPECT_EQ(parse_quantity("512B", Unit::bytes), 512.0);
    EXPECT_EQ(parse_quantity("0.5k", Unit::bytes), 500.0);
    EXPECT_EQ(parse_quantity(".5k", Unit::bytes), 500.0);
    EXPECT_EQ(parse_quantity("7", Unit::bytes), 7.0);
    EXPECT_EQ(parse_quantity("1TiB", Unit::bytes), 1099511627776.0);
    // One "b" at most, and only after a prefix the table knows.
    EXPECT_FALSE(parse_quantity("1bb", Unit::bytes));
    EXPECT_FALSE(parse_quantity("1kbb", Unit::bytes));
    EXPECT_FALSE(parse_quantity("1xb", Unit::bytes));
    EXPECT_FALSE(parse_quantity("1ib", Unit::bytes));
}

TEST(FilterValues, Rates) {
    EXPECT_EQ(parse_quantity("10k", Unit::rate), 1e4);
    EXPECT_EQ(parse_quantity("10k/s", Unit::rate), 1e4);
    EXPECT_EQ(parse_quantity("1MiB/s", Unit::rate), 1048576.0);
    EXPECT_FALSE(parse_quantity("10k/h", Unit::rate));
}

TEST(FilterValues, Durations) {
    EXPECT_EQ(parse_quantity("100ms", Unit::duration_ms), 1e8);
    EXPECT_EQ(parse_quantity("100", Unit::duration_ms), 1e8);
    EXPECT_EQ(parse_quantity("250us", Unit::duration_ms), 2.5e5);
    EXPECT_EQ(parse_quantity("2s", Unit::duration_ms), 2e9);
    EXPECT_EQ(parse_quantity("30", Unit::duration_s), 30e9);
    EXPECT_EQ(parse_quantity("1.5m", Unit::duration_s), 90e9);
    EXPECT_EQ(parse_quantity("2min", Unit::duration_s), 120e9);
    EXPECT_EQ(parse_quantity("1h", Unit::duration_s), 3600e9);
    EXPECT_EQ(parse_quantity("7ns", Unit::duration_s), 7.0);
    EXPECT_FALSE(parse_quantity("1d", Unit::duration_s));
}

TEST(FilterValues, Malformed) {
    for (const char* bad : {"", "-1", "1X", "M", "1.2.3", "1e5", "inf", "nan", " 1", "1 ", "0x10"}) {
        EXPECT_FALSE(parse_quantity(bad, Unit::bytes)) << bad;
    }
    EXPECT_FALSE(parse_quantity(std::string(33, '1'), Unit::count));
    EXPECT_FALSE(parse_quantity("1.5", Unit::integer));
    EXPECT_FALSE(parse_quantity("1k", Unit::integer));
    EXPECT_EQ(parse_quantity("65535", Unit::integer), 65535.0);
}

TEST(FilterValues, Prefixes) {
    Prefix p;
    ASSERT_EQ(parse_prefix("10.1.2.3/8", p), PrefixParse::ok);
    EXPECT_EQ(p.length, 8u);
    EXPECT_EQ(p.network, core::IpAddress::parse("10.0.0.0"));  // host bits cleared
    EXPECT_TRUE(prefix_contains(p, core::IpAddress::parse("10.255.0.1")));
    EXPECT_FALSE(prefix_contains(p, core::IpAddress::parse("11.0.0.1")));
    EXPECT_FALSE(prefix_contains(p, core::IpAddress::parse("::a01:203")));  // other family

    ASSERT_EQ(parse_prefix("192.168.1.128/25", p), PrefixParse::ok);
    EXPECT_TRUE(prefix_contains(p, core::IpAddress::parse("192.168.1.200")));
    EXPECT_FALSE(prefix_contains(p, core::IpAddress::parse("192.168.1.127")));

    ASSERT_EQ(parse_prefix("fd00::/8", p), PrefixParse::ok);
    EXPECT_TRUE(prefix_contains(p, core::IpAddress::parse("fdff::1")));
    EXPECT_FALSE(prefix_contains(p, core::IpAddress::parse("fe80::1")));

    ASSERT_EQ(parse_prefix("2001:db8::1", p), PrefixParse::ok);
    EXPECT_EQ(p.length, 128u);
    EXPECT_TRUE(prefix_contains(p, core::IpAddress::parse("2001:db8::1")));
    EXPECT_FALSE(prefix_contains(p, core::IpAddress::parse("2001:db8::2")));

    ASSERT_EQ(parse_prefix("0.0.0.0/0", p), PrefixParse::ok);
    EXPECT_TRUE(prefix_contains(p, core::IpAddress::parse("203.0.113.9")));

    EXPECT_EQ(parse_prefix("10.0.0.0/33", p), PrefixParse::bad_length);
    EXPECT_EQ(parse_prefix("fd00::/129", p), PrefixParse::bad_length);
    EXPECT_EQ(parse_prefix("10.0.0.0/", p), PrefixParse::bad_length);
    EXPECT_EQ(parse_prefix("10.0.0.0/8x", p), PrefixParse::bad_length);
    EXPECT_EQ(parse_prefix("example.com", p), PrefixParse::not_an_address);
    EXPECT_EQ(parse_prefix("10.0.0", p), PrefixParse::not_an_address);
    EXPECT_EQ(parse_prefix("", p), PrefixParse::not_an_address);
}

}  // namespace
}  // namespace sockeye::filter
