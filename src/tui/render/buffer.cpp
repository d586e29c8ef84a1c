#include "tui/render/buffer.hpp"

#include <algorithm>
#include <cstddef>

#include "core/printable_text.hpp"

namespace sockeye::tui {
namespace {

const Cell kBlank{};

// Decodes one UTF-8 sequence at `text[i]`, advancing `i`; malformed input
// gives U+FFFD and consumes one byte (as core::printable_text sees it).
char32_t next_code_point(std::string_view text, std::size_t& i) {
    const core::Utf8Char ch = core::decode_utf8(text, i);
    i += ch.length;
    return ch.code_point;
}

}  // namespace

namespace {

struct Range {
    char32_t first, last;
};

// Zero-width code points: combining marks of the common scripts, Hangul
// medial and final jamo, zero-width spaces and joiners, bidi controls,
// variation selectors, tags. Sorted, non-overlapping (binary searched).
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF}, {0x05C1, 0x05C2},
    {0x05C4, 0x05C5}, {0x05C7, 0x05C7}, {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0670, 0x0670},
    {0x06D6, 0x06DC}, {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0711, 0x0711},
    {0x0730, 0x074A}, {0x07A6, 0x07B0}, {0x0900, 0x0902}, {0x093A, 0x093A}, {0x093C, 0x093C},
    {0x0941, 0x0948}, {0x094D, 0x094D}, {0x0951, 0x0957}, {0x0962, 0x0963}, {0x0E31, 0x0E31},
    {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1160, 0x11FF}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x3099, 0x309A},
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0000, 0xE007F}, {0xE0100, 0xE01EF},
};

// East Asian Wide and Fullwidth blocks, and the emoji that terminals draw
// two columns wide. Sorted, non-overlapping.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x3098},   {0x309B, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
    {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},
    {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004},
    {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F202},
    {0x1F210, 0x1F23B}, {0x1F240, 0x1F248}, {0x1F250, 0x1F251}, {0x1F260, 0x1F265},
    {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF},
    {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

template <std::size_t N>
constexpr bool sorted(const Range (&table)[N]) {
    for (std::size_t i = 0; i < N; ++i) {
        if (table[i].first > table[i].last) return false;
        if (i > 0 && table[i].first <= table[i - 1].last) return false;
    }
    return true;
}
static_assert(sorted(kZeroWidth) && sorted(kWide), "width tables must be sorted");

template <std::size_t N>
bool in_table(char32_t c, const Range (&table)[N]) {
    if (c < table[0].first || c > table[N - 1].last) return false;
    std::size_t lo = 0, hi = N;
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (c > table[mid].last) {
            lo = mid + 1;
        } else if (c < table[mid].first) {
            hi = mid;
        } else {
            return true;
        }
    }
    return false;
}

}  // namespace

int char_width(char32_t c) {
    if (c == 0) return 0;
    if (c < 0x300) return 1;  // ASCII and Latin-1: the common case, no search
    if (in_table(c, kZeroWidth)) return 0;
    if (in_table(c, kWide)) return 2;
    return 1;
}

int text_width(std::string_view text) {
    int width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const char32_t c = next_code_point(text, i);
        width += core::is_control_code_point(c) ? 1 : char_width(c);
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
        if (core::is_control_code_point(c)) c = U'?';
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
            append_utf8(out, c);
        }
        out += '\n';
    }
    return out;
}

}  // namespace sockeye::tui
