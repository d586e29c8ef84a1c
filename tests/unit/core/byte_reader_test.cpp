#include "core/byte_reader.hpp"

#include <gtest/gtest.h>

#include <array>

#include "core/ip_address.hpp"

namespace sockeye::core {
namespace {

TEST(ByteReader, ReadsBigAndLittleEndian) {
    const std::array<std::uint8_t, 11> bytes{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde,
                                             0xf0, 0x01, 0x02, 0x03};
    ByteReader r(bytes);
    EXPECT_EQ(r.u8(), 0x12);
    EXPECT_EQ(r.u16_be(), 0x3456);
    EXPECT_EQ(r.u32_be(), 0x789abcdeu);
    EXPECT_EQ(r.u16_le(), 0x01f0);
    EXPECT_EQ(r.u16_be(), 0x0203);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.empty());
}

TEST(ByteReader, ShortReadFailsSoftlyAndKeepsPosition) {
    const std::array<std::uint8_t, 3> bytes{1, 2, 3};
    ByteReader r(bytes);
    EXPECT_EQ(r.u16_be(), 0x0102);
    EXPECT_EQ(r.u32_be(), 0u);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.offset(), 2u);
    // Once failed, every read fails: a parser checks ok() once at the end.
    EXPECT_EQ(r.u8(), 0);
    EXPECT_TRUE(r.take(1).empty());
}

TEST(ByteReader, TakeAndSkipRespectBounds) {
    const std::array<std::uint8_t, 4> bytes{9, 8, 7, 6};
    ByteReader r(bytes);
    auto two = r.take(2);
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[1], 8);
    EXPECT_EQ(r.peek_u8(1), 6);
    EXPECT_EQ(r.peek_u8(2), 0);  // out of range peeks do not fail the reader
    EXPECT_TRUE(r.ok());
    EXPECT_FALSE(r.skip(3));
    EXPECT_FALSE(r.ok());
}

TEST(IpAddress, FormatsLikeInetNtop) {
    EXPECT_EQ(IpAddress::v4(0x0a000001u).to_string(), "10.0.0.1");
    const auto v6 = IpAddress::parse("2001:db8:0:0:0:0:0:1");
    EXPECT_TRUE(v6.is_v6());
    EXPECT_EQ(v6.to_string(), "2001:db8::1");  // RFC 5952 compression
    EXPECT_EQ(IpAddress::parse("nonsense").family, IpFamily::none);
    EXPECT_LT(IpAddress::parse("10.0.0.1"), IpAddress::parse("10.0.0.2"));
}

}  // namespace
}  // namespace sockeye::core
