#include "dpi/protocols/text_lines.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"

namespace sockeye::dpi {
namespace {

TEST(DpiTextLines, SplitsCrlfAndKeepsTail) {
    const auto bytes = fixtures::text("one\r\ntwo\nthr");
    text::LineReader lines(bytes);
    std::span<const std::uint8_t> line;
    ASSERT_TRUE(lines.next(line));
    EXPECT_EQ(text::copy_capped(line), "one");
    ASSERT_TRUE(lines.next(line));
    EXPECT_EQ(text::copy_capped(line), "two");
    EXPECT_FALSE(lines.next(line));
    EXPECT_EQ(text::copy_capped(lines.rest()), "thr");
}

TEST(DpiTextLines, Helpers) {
    const auto line = fixtures::text("  250-AUTH PLAIN  ");
    EXPECT_EQ(text::copy_capped(text::trim(line)), "250-AUTH PLAIN");
    EXPECT_EQ(text::reply_code(text::trim(line)), 250);
    EXPECT_EQ(text::reply_code(fixtures::text("25x ")), -1);
    EXPECT_EQ(text::reply_code(fixtures::text("2500")), -1);
    EXPECT_TRUE(text::contains_ci(line, "auth plain"));
    EXPECT_TRUE(text::is_prefix_of_ci(fixtures::text("eh"), "EHLO"));
    EXPECT_FALSE(text::is_text(std::vector<std::uint8_t>{'a', 0x01}));
    std::span<const std::uint8_t> value;
    const auto header = fixtures::text("Call-ID :  x@y ");
    EXPECT_TRUE(text::header_value(header, "call-id", value));
    EXPECT_EQ(text::copy_capped(value), "x@y");
    const auto other = fixtures::text("Call-IDx: 1");
    EXPECT_FALSE(text::header_value(other, "Call-ID", value));
    EXPECT_EQ(text::copy_capped(fixtures::text(std::string(1000, 'a'))).size(),
              text::kMaxTextBytes);
    EXPECT_EQ(text::hex(std::vector<std::uint8_t>{0x00, 0xab}), "00ab");
}

}  // namespace
}  // namespace sockeye::dpi
