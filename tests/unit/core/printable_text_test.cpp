#include "core/printable_text.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace sockeye::core {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

// `cp` encoded in UTF-8 (any value below 0x110000, surrogates included, so
// tests can build the sequences a strict decoder must refuse).
std::string utf8(char32_t cp) {
    std::string out;
    append_utf8(out, cp);
    return out;
}

// No C0 byte, no DEL, no raw 0x80..0x9F byte outside a multibyte sequence,
// no UTF-8-encoded C1, and valid UTF-8 throughout.
void expect_terminal_safe(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const Utf8Char ch = decode_utf8(text, i);
        ASSERT_TRUE(ch.valid) << "malformed byte at " << i << " of '" << text << "'";
        ASSERT_FALSE(is_control_code_point(ch.code_point))
            << "control U+" << std::hex << static_cast<unsigned>(ch.code_point) << " at " << i;
        i += ch.length;
    }
}

TEST(PrintableText, PrintableAsciiIsKept) {
    std::string all;
    for (char c = 0x20; c < 0x7F; ++c) all += c;
    EXPECT_EQ(printable_text(all), all);
    EXPECT_EQ(printable_text(all, ControlStyle::hex_escape), all);
    EXPECT_EQ(printable_text(""), "");
}

TEST(PrintableText, EveryC0ByteAndDelIsReplaced) {
    for (int b = 0; b < 0x20; ++b) {
        const std::string in = "a" + std::string(1, static_cast<char>(b)) + "b";
        EXPECT_EQ(printable_text(in), "a?b") << "byte " << b;
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", b);
        EXPECT_EQ(printable_text(in, ControlStyle::hex_escape), "a" + std::string(hex) + "b");
    }
    EXPECT_EQ(printable_text("a\x7f" "b"), "a?b");
    EXPECT_EQ(printable_text("a\x7f" "b", ControlStyle::hex_escape), "a\\x7fb");
}

TEST(PrintableText, EveryC1CodePointInUtf8IsReplaced) {
    for (char32_t cp = 0x80; cp < 0xA0; ++cp) {
        const std::string in = "x" + utf8(cp) + "y";
        ASSERT_EQ(in.size(), 4u);
        EXPECT_EQ(printable_text(in), "x?y") << "U+" << std::hex << static_cast<unsigned>(cp);
        char hex[16];
        std::snprintf(hex, sizeof hex, "\\x%02x\\x%02x", static_cast<unsigned char>(in[1]),
                      static_cast<unsigned char>(in[2]));
        EXPECT_EQ(printable_text(in, ControlStyle::hex_escape), "x" + std::string(hex) + "y");
    }
    // U+00A0 (no-break space) is the first printable code point after C1.
    EXPECT_EQ(printable_text(utf8(0xA0)), utf8(0xA0));
}

TEST(PrintableText, EveryRawHighByteAloneIsMalformed) {
    // 0x80..0xBF are continuation bytes without a lead; 0xC0..0xFF are lead
    // bytes without their continuations (or never valid: C0, C1, F5..FF).
    for (int b = 0x80; b <= 0xFF; ++b) {
        const std::string in = "a" + std::string(1, static_cast<char>(b)) + "b";
        EXPECT_EQ(printable_text(in), "a" + kFffd + "b") << "byte " << b;
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", b);
        EXPECT_EQ(printable_text(in, ControlStyle::hex_escape), "a" + std::string(hex) + "b");
    }
}

TEST(PrintableText, MalformedSequencesConsumeOneByteAtATime) {
    // Truncated sequences, at the end and before ASCII.
    EXPECT_EQ(printable_text("\xE2\x82"), kFffd + kFffd);
    EXPECT_EQ(printable_text("\xF0\x9F\x98" "A"), kFffd + kFffd + kFffd + "A");
    // A lead byte followed by a lead byte: the second one starts afresh.
    EXPECT_EQ(printable_text("\xC3\xC3\xA9"), kFffd + "\xC3\xA9");
    // A truncated sequence cannot swallow the ESC after it.
    EXPECT_EQ(printable_text("\xE2\x1b[2J"), kFffd + "?[2J");
}

TEST(PrintableText, OverlongFormsAreMalformed) {
    // ESC (0x1B) and '/' in two, three and four bytes.
    for (const std::string& overlong :
         {std::string("\xC0\x9B"), std::string("\xE0\x80\x9B"), std::string("\xF0\x80\x80\x9B"),
          std::string("\xC0\xAF"), std::string("\xE0\x80\xAF"), std::string("\xC1\xBF")}) {
        const std::string out = printable_text(overlong);
        EXPECT_EQ(out.find('\x1b'), std::string::npos);
        std::string expected;
        for (std::size_t k = 0; k < overlong.size(); ++k) expected += kFffd;
        EXPECT_EQ(out, expected);
    }
    // The smallest code point of each length is not overlong.
    EXPECT_EQ(printable_text(utf8(0x800)), utf8(0x800));
    EXPECT_EQ(printable_text(utf8(0x10000)), utf8(0x10000));
}

TEST(PrintableText, SurrogatesAndValuesPastUnicodeAreMalformed) {
    for (const char32_t cp : {char32_t{0xD800}, char32_t{0xDBFF}, char32_t{0xDC00}, char32_t{0xDFFF}}) {
        EXPECT_EQ(printable_text(utf8(cp)), kFffd + kFffd + kFffd);
    }
    EXPECT_EQ(printable_text("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // U+110000
    EXPECT_EQ(printable_text("\xF5\x80\x80\x80"), kFffd + kFffd + kFffd + kFffd);
}

TEST(PrintableText, ValidMultibyteIsKept) {
    const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 " +
                             utf8(0x7FF) + utf8(0xFFFD) + utf8(0x10FFFF) + utf8(0xE000);
    EXPECT_EQ(printable_text(text), text);
    EXPECT_EQ(printable_text(text, ControlStyle::hex_escape), text);
}

TEST(PrintableText, EscapeSequencesFromTheWireAreDefused) {
    const std::string evil = "evil\x1b]0;PWNED\x07\x1b[5mhost.test\xC2\x9B" "2J\x9b" "2J";
    const std::string out = printable_text(evil);
    EXPECT_EQ(out, "evil?]0;PWNED??[5mhost.test?2J" + kFffd + "2J");
    expect_terminal_safe(out);
    EXPECT_EQ(printable_text(evil, ControlStyle::hex_escape),
              "evil\\x1b]0;PWNED\\x07\\x1b[5mhost.test\\xc2\\x9b2J\\x9b2J");
}

TEST(PrintableText, EveryByteValueLeavesNoControl) {
    // Every byte alone, and every byte after each possible lead byte.
    for (int a = 0; a < 256; ++a) {
        for (int b = 0; b < 256; ++b) {
            const std::string in{static_cast<char>(a), static_cast<char>(b), 'z'};
            expect_terminal_safe(printable_text(in));
            expect_terminal_safe(printable_text(in, ControlStyle::hex_escape));
        }
    }
}

TEST(DecodeUtf8, LengthsAndCodePoints) {
    EXPECT_EQ(decode_utf8("A", 0).code_point, U'A');
    const std::string euro = "\xE2\x82\xAC";
    const Utf8Char e = decode_utf8(euro, 0);
    EXPECT_TRUE(e.valid);
    EXPECT_EQ(e.length, 3u);
    EXPECT_EQ(e.code_point, 0x20ACu);
    const Utf8Char bad = decode_utf8(euro, 1);
    EXPECT_FALSE(bad.valid);
    EXPECT_EQ(bad.length, 1u);
    EXPECT_EQ(bad.code_point, 0xFFFDu);
}

TEST(IsControlCodePoint, C0DelAndC1Only) {
    for (char32_t c = 0; c < 0x200; ++c) {
        EXPECT_EQ(is_control_code_point(c), c < 0x20 || (c >= 0x7F && c <= 0x9F)) << static_cast<unsigned>(c);
    }
}

}  // namespace
}  // namespace sockeye::core
