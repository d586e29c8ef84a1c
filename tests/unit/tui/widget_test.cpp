#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tui/widgets/bar_list.hpp"
#include "tui/widgets/braille_chart.hpp"
#include "tui/widgets/table.hpp"
#include "tui/widgets/text.hpp"

namespace sockeye::tui {
namespace {

TEST(WidgetText, FitAndWrap) {
    EXPECT_EQ(fit_text("example.com", 20), "example.com");
    EXPECT_EQ(fit_text("example.com", 8), "example…");
    EXPECT_EQ(text_width(fit_text("日本語のホスト名", 7)), 7);
    EXPECT_EQ(fit_text("abc", 0), "");
    // A malformed sequence is as many columns as print() draws for it (one
    // U+FFFD per bad byte), so a cut name ends where its clean form does.
    EXPECT_EQ(fit_text("a\xE0\x80\x9B" "bcdef", 5), "a\xE0\x80\x9B…");
    EXPECT_EQ(fit_text("a\xE0\x80\x9B" "bcdef", 4), "a\xE0\x80…");
    EXPECT_EQ(text_width(fit_text("a\xE0\x80\x9B" "bcdef", 4)), 4);
    const auto lines = wrap_text("grant cap_sys_ptrace to see them", 12);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "grant");
    EXPECT_EQ(lines[1], "cap_sys_ptr…");
    EXPECT_EQ(lines[2], "to see them");
}

TEST(WidgetTable, DropsLeastImportantColumnsFirst) {
    const std::vector<TableColumn> cols{
        {"A", 10, 1, 0, false, 0}, {"B", 10, 0, 0, false, 2}, {"C", 10, 0, 0, true, 1}};
    auto wide = layout_table(cols, 40);
    ASSERT_EQ(wide.placed.size(), 3u);
    EXPECT_EQ(wide.placed[0].width, 18);  // takes the spare room
    EXPECT_EQ(wide.placed[2].x, 30);
    auto narrow = layout_table(cols, 25);
    ASSERT_EQ(narrow.placed.size(), 2u);
    EXPECT_EQ(narrow.find(1), -1);  // B (priority 2) went first
    EXPECT_EQ(narrow.column_at(12), 0);  // A took the spare: 14 wide
    EXPECT_EQ(narrow.column_at(16), 2);
    auto tiny = layout_table(cols, 3);
    EXPECT_EQ(tiny.placed.size(), 1u);
}

TEST(WidgetTable, ScrollKeepsSelectionVisible) {
    EXPECT_EQ(scroll_to_show(0, 5, 10, 100), 0u);
    EXPECT_EQ(scroll_to_show(0, 15, 10, 100), 6u);
    EXPECT_EQ(scroll_to_show(20, 15, 10, 100), 15u);
    EXPECT_EQ(scroll_to_show(95, 99, 10, 100), 90u);
    EXPECT_EQ(scroll_to_show(3, 2, 10, 5), 0u);
}

TEST(WidgetBraille, RisingLineFillsBottomLeftToTopRight) {
    Buffer buf(2, 1);
    const std::vector<double> values{0, 1, 2, 3};
    draw_braille_chart(buf, {0, 0, 2, 1}, values, 3, {});
    // Left cell: dots at rows 3 (x0) and 2..3 (x1): bits 0x40 | 0x20 | 0x80.
    EXPECT_EQ(buf.at(0, 0).ch, static_cast<char32_t>(0x2800 + 0x40 + 0x80 + 0x20));
    // Right cell: x2 rows 1..2 (0x02, 0x04), x3 rows 0..1 (0x08, 0x10).
    EXPECT_EQ(buf.at(1, 0).ch, static_cast<char32_t>(0x2800 + 0x02 + 0x04 + 0x08 + 0x10));
}

TEST(WidgetBars, ScaleToTheLargest) {
    Buffer buf(30, 2);
    const Theme& theme = *find_theme("mono");
    const std::vector<BarItem> items{{"TLS", 100, "100 B"}, {"DNS", 50, "50 B"}};
    draw_bar_list(buf, {0, 0, 30, 2}, items, theme);
    const std::string text = buf.to_text();
    // label 3 + space, bar 30-3-5-2 = 20 cells; DNS gets 10.
    EXPECT_NE(text.find("TLS ████████████████████ 100 B"), std::string::npos);
    EXPECT_NE(text.find("DNS ██████████            50 B"), std::string::npos) << text;
}

}  // namespace
}  // namespace sockeye::tui
