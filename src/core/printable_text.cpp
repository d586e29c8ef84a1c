#include "core/printable_text.hpp"

namespace sockeye::core {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool is_plain_ascii(unsigned char c) { return c >= 0x20 && c < 0x7F; }

void append_hex_bytes(std::string& out, std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        out += "\\x";
        out += kHex[u >> 4];
        out += kHex[u & 0xF];
    }
}

}  // namespace

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c <= 0x10FFFF) {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

Utf8Char decode_utf8(std::string_view text, std::size_t at) {
    const Utf8Char malformed{kReplacement, 1, false};
    const auto lead = static_cast<unsigned char>(text[at]);
    if (lead < 0x80) return {lead, 1, true};
    std::size_t length = 0;
    char32_t cp = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        cp = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        cp = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        cp = lead & 0x07u;
    } else {
        return malformed;
    }
    if (text.size() - at < length) return malformed;
    for (std::size_t k = 1; k < length; ++k) {
        const auto c = static_cast<unsigned char>(text[at + k]);
        if ((c & 0xC0) != 0x80) return malformed;
        cp = (cp << 6) | (c & 0x3Fu);
    }
    static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return malformed;
    return {cp, length, true};
}

std::string printable_text(std::string_view text, ControlStyle style) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (is_plain_ascii(byte)) {
            out += text[i];
            ++i;
            continue;
        }
        const Utf8Char ch = decode_utf8(text, i);
        const std::string_view bytes = text.substr(i, ch.length);
        i += ch.length;
        if (ch.valid && !is_control_code_point(ch.code_point)) {
            out.append(bytes);
        } else if (style == ControlStyle::hex_escape) {
            append_hex_bytes(out, bytes);
        } else if (ch.valid) {
            out += '?';
        } else {
            out += "\xEF\xBF\xBD";  // U+FFFD
        }
    }
    return out;
}

}  // namespace sockeye::core
