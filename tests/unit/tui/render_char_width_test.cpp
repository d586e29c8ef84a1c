// Column widths of code points, as the buffer and the ANSI writer count them.
#include <gtest/gtest.h>

#include "tui/render/buffer.hpp"

namespace sockeye::tui {
namespace {

TEST(RenderCharWidth, NarrowWideAndZero) {
    EXPECT_EQ(char_width(U'a'), 1);
    EXPECT_EQ(char_width(U'\u00e9'), 1);   // é
    EXPECT_EQ(char_width(U'\u2500'), 1);   // box drawing
    EXPECT_EQ(char_width(U'\u2801'), 1);   // braille (graphs)
    EXPECT_EQ(char_width(U'\u4e16'), 2);   // CJK
    EXPECT_EQ(char_width(U'\uac00'), 2);   // Hangul syllable
    EXPECT_EQ(char_width(U'\uff21'), 2);   // fullwidth A
    EXPECT_EQ(char_width(U'\u3000'), 2);   // ideographic space
    EXPECT_EQ(char_width(U'\U0001F600'), 2);  // emoji
    EXPECT_EQ(char_width(U'\U0001F680'), 2);  // rocket (transport block)
    EXPECT_EQ(char_width(U'\U0001FA80'), 2);  // newer emoji block
    EXPECT_EQ(char_width(U'\u231a'), 2);   // watch, emoji presentation
    EXPECT_EQ(char_width(U'\u2705'), 2);
    EXPECT_EQ(char_width(U'\u2713'), 1);   // check mark, text presentation
    EXPECT_EQ(char_width(U'\U00020000'), 2);
    EXPECT_EQ(char_width(U'\u0301'), 0);   // combining acute
    EXPECT_EQ(char_width(U'\u05b4'), 0);   // Hebrew point
    EXPECT_EQ(char_width(U'\u094d'), 0);   // Devanagari virama
    EXPECT_EQ(char_width(U'\u200d'), 0);   // zero-width joiner
    EXPECT_EQ(char_width(U'\ufe0f'), 0);   // variation selector
    EXPECT_EQ(char_width(U'\u1161'), 0);   // Hangul medial jamo
    EXPECT_EQ(char_width(U'\U000E0101'), 0);
    EXPECT_EQ(char_width(0), 0);
}

TEST(RenderCharWidth, TextWidthAndPrintAgree) {
    const std::string s = "a\xe4\xb8\x96" "e\xcc\x81" "\xf0\x9f\x9a\x80";  // a 世 é(combining) 🚀
    EXPECT_EQ(text_width(s), 1 + 2 + 1 + 0 + 2);
    Buffer b(10, 1);
    EXPECT_EQ(b.print(0, 0, s, {}), 6);
    EXPECT_EQ(b.at(1, 0).ch, U'\u4e16');
    EXPECT_EQ(b.at(2, 0).ch, Cell::kContinuation);
    EXPECT_EQ(b.at(3, 0).ch, U'e');
    EXPECT_EQ(b.at(4, 0).ch, U'\U0001F680');
    EXPECT_EQ(b.at(5, 0).ch, Cell::kContinuation);
}

}  // namespace
}  // namespace sockeye::tui
