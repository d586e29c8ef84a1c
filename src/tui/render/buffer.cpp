#include "tui/render/buffer.hpp"

#include <algorithm>

namespace sockeye::tui {
namespace {

const Cell kBlank{};

// Decodes one UTF-8 sequence at `text[i]`, advancing `i`; malformed input
// gives U+FFFD and consumes one byte.
char32_t next_code_point(std::string_view text, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    int len = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
        ++i;
        return b0;
    } else if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
    } else {
        ++i;
        return 0xFFFD;
    }
    if (i + static_cast<std::size_t>(len) > text.size()) {
        ++i;
        return 0xFFFD;
    }
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are malformed.
    static constexpr char32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return 0xFFFD;
    }
    i += static_cast<std::size_t>(len);
    return cp;
}

bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c < 0xA0); }

}  // namespace

int char_width(char32_t c) {
    if (c == 0) return 0;
    // Combining marks and zero-width characters.
    if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) ||
        (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF)
        return 0;
    // East Asian wide / fullwidth blocks and the emoji planes.
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
        (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
        (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

int text_width(std::string_view text) {
    int width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const char32_t c = next_code_point(text, i);
        width += is_control(c) ? 1 : char_width(c);
    }
    return width;
}

Buffer::Buffer(int width, int height) { resize(width, height); }

void Buffer::resize(int width, int height) {
    width_ = std::max(0, width);
    height_ = std::max(0, height);
    cells_.assign(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_), kBlank);
}

const Cell& Buffer::at(int x, int y) const {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return kBlank;
    return cells_[static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) +
                  static_cast<std::size_t>(x)];
}

void Buffer::set(int x, int y, const Cell& cell) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
    cells_[static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) +
           static_cast<std::size_t>(x)] = cell;
}

int Buffer::print(int x, int y, std::string_view text, Style style, int max_width) {
    if (y < 0 || y >= height_) return 0;
    const int limit = max_width < 0 ? width_ : std::min(width_, x + max_width);
    int col = x;
    for (std::size_t i = 0; i < text.size() && col < limit;) {
        char32_t c = next_code_point(text, i);
        if (is_control(c)) c = U'?';
        const int w = char_width(c);
        if (w == 0) continue;  // combining marks are dropped: one scalar per cell
        if (col + w > limit) break;
        if (col >= 0) set(col, y, Cell{c, style});
        if (w == 2 && col + 1 >= 0) set(col + 1, y, Cell{Cell::kContinuation, style});
        col += w;
    }
    return std::max(0, col - std::max(x, 0));
}

void Buffer::set_style(Rect r, Style style) {
    for (int y = std::max(0, r.y); y < std::min(height_, r.y + r.height); ++y)
        for (int x = std::max(0, r.x); x < std::min(width_, r.x + r.width); ++x)
            cells_[static_cast<std::size_t>(y * width_ + x)].style = style;
}

void Buffer::fill(Rect r, const Cell& cell) {
    for (int y = std::max(0, r.y); y < std::min(height_, r.y + r.height); ++y)
        for (int x = std::max(0, r.x); x < std::min(width_, r.x + r.width); ++x)
            cells_[static_cast<std::size_t>(y * width_ + x)] = cell;
}

void Buffer::clear(Style style) { std::fill(cells_.begin(), cells_.end(), Cell{U' ', style}); }

std::string Buffer::to_text() const {
    std::string out;
    for (int y = 0; y < height_; ++y) {
        for (int x = 0; x < width_; ++x) {
            const char32_t c = at(x, y).ch;
            if (c == Cell::kContinuation) continue;
            if (c < 0x80) {
                out += static_cast<char>(c);
            } else if (c < 0x800) {
                out += static_cast<char>(0xC0 | (c >> 6));
                out += static_cast<char>(0x80 | (c & 0x3F));
            } else if (c < 0x10000) {
                out += static_cast<char>(0xE0 | (c >> 12));
                out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (c & 0x3F));
            } else {
                out += static_cast<char>(0xF0 | (c >> 18));
                out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
                out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (c & 0x3F));
            }
        }
        out += '\n';
    }
    return out;
}

}  // namespace sockeye::tui
