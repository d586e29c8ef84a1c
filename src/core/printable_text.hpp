// Text that came from the network (host names, SNI, DNS names), from other
// processes (command names) or from the user (file names, arguments) and is
// written where a terminal may read it: a control character in it (ESC, BEL,
// CSI) would be obeyed by the terminal, not shown. Every text writer passes
// such text through printable_text(); writers with an escaping grammar of
// their own (JSON, the Prometheus exposition format, the terminal UI's cells)
// build on decode_utf8() and is_control_code_point() so they agree with it
// on what is a control and what is malformed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sockeye::core {

// One UTF-8 sequence. Malformed input (a stray continuation byte, a lead
// byte without its continuations, an overlong form, a surrogate, a value
// past U+10FFFF, the bytes 0xC0, 0xC1 and 0xF5..0xFF) decodes as U+FFFD of
// length 1 with `valid` false: the next sequence starts at the next byte.
struct Utf8Char {
    char32_t code_point = 0;
    std::size_t length = 0;
    bool valid = false;
};

// The sequence that starts at text[at] (at < text.size()).
Utf8Char decode_utf8(std::string_view text, std::size_t at);

// Appends `c` encoded as UTF-8; values past U+10FFFF append nothing.
// Surrogates are encoded as they are: a caller that must refuse them (a
// parser of escapes) checks first.
void append_utf8(std::string& out, char32_t c);

// C0 (U+0000..U+001F), DEL and C1 (U+0080..U+009F): the code points a
// terminal acts on instead of drawing.
constexpr bool is_control_code_point(char32_t c) { return c < 0x20 || (c >= 0x7F && c < 0xA0); }

enum class ControlStyle {
    replace,     // a control becomes '?', a malformed byte U+FFFD (as the terminal UI draws them)
    hex_escape,  // each byte of a control or malformed sequence becomes \xNN (error messages
                 // quoting what the user typed: the exact bytes matter there)
};

// `text` with every control code point and every malformed UTF-8 byte
// neutralised as `style` says; everything else, valid multibyte characters
// included, is kept as is. The result is valid UTF-8 without controls.
std::string printable_text(std::string_view text, ControlStyle style = ControlStyle::replace);

}  // namespace sockeye::core
