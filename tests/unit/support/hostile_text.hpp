// Names as hostile traffic, processes or users can make them: one with each
// control character a terminal would obey (every C0 byte, DEL, every C1 code
// point in UTF-8, every raw 0x80..0x9F byte) and a few malformed UTF-8
// sequences, each between real escape sequences (title change, screen clear,
// blink). And the check every text writer's output must pass.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/printable_text.hpp"

namespace sockeye::testing {

inline std::vector<std::string> hostile_names() {
    std::vector<std::string> names;
    const auto wrap = [&](const std::string& inner) {
        names.push_back("evil\x1b]0;PWNED\x07" + inner + "\x1b[2J\x1b[5mhost.test");
    };
    for (int b = 0; b < 0x20; ++b) wrap(std::string(1, static_cast<char>(b)));
    wrap("\x7f");
    for (int cp = 0x80; cp < 0xA0; ++cp) {
        wrap(std::string{static_cast<char>(0xC2), static_cast<char>(cp)});  // C1 in UTF-8
        wrap(std::string(1, static_cast<char>(cp)));                          // raw C1 byte
    }
    for (const char* bad : {"\xC0\x9B", "\xE0\x80\x9B", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82",
                            "\xFF", "\xC3"}) {
        wrap(bad);
    }
    return names;
}

// `text` is valid UTF-8 and holds no control code point other than those in
// `layout` (the writer's own line ends).
inline void expect_no_controls(std::string_view text, std::string_view layout, std::string_view what) {
    for (std::size_t i = 0; i < text.size();) {
        const core::Utf8Char ch = core::decode_utf8(text, i);
        ASSERT_TRUE(ch.valid) << what << ": malformed UTF-8 at byte " << i;
        const bool allowed = ch.code_point < 0x80 && layout.find(static_cast<char>(ch.code_point)) !=
                                                          std::string_view::npos;
        ASSERT_TRUE(allowed || !core::is_control_code_point(ch.code_point))
            << what << ": control U+" << std::hex << static_cast<unsigned>(ch.code_point) << " at byte "
            << std::dec << i;
        i += ch.length;
    }
}

}  // namespace sockeye::testing
