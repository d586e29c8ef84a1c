// A screen as a grid of cells. Widgets and views draw here and never touch
// the terminal; the diff and the ANSI writer turn two buffers into bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/printable_text.hpp"
#include "tui/render/style.hpp"

namespace sockeye::tui {

struct Rect {
    int x = 0, y = 0, width = 0, height = 0;
    [[nodiscard]] bool contains(int px, int py) const {
        return px >= x && py >= y && px < x + width && py < y + height;
    }
    friend constexpr bool operator==(const Rect&, const Rect&) = default;
};

struct Cell {
    // One Unicode scalar value. A double-width character occupies its cell and
    // the next one, which holds kContinuation so the diff skips it.
    static constexpr char32_t kContinuation = 0xFFFFFFFFu;
    char32_t ch = U' ';
    Style style{};

    friend constexpr bool operator==(const Cell&, const Cell&) = default;
};

class Buffer {
public:
    Buffer() = default;
    Buffer(int width, int height);

    [[nodiscard]] int width() const { return width_; }
    [[nodiscard]] int height() const { return height_; }
    [[nodiscard]] Rect area() const { return {0, 0, width_, height_}; }

    // Out-of-range coordinates read a blank cell and ignore writes.
    [[nodiscard]] const Cell& at(int x, int y) const;
    void set(int x, int y, const Cell& cell);

    // Writes UTF-8 `text` from (x, y), at most `max_width` columns (-1: to the
    // right edge), clipped to the buffer; invalid UTF-8 shows as U+FFFD and
    // control characters as '?', so hostile process names cannot inject escapes.
    // Returns the columns written.
    int print(int x, int y, std::string_view text, Style style, int max_width = -1);
    // Sets the style of every cell in `r`, keeping characters.
    void set_style(Rect r, Style style);
    void fill(Rect r, const Cell& cell);
    void clear(Style style = {});
    void resize(int width, int height);  // clears

    // Rows as UTF-8 text without styles, trailing spaces kept: for snapshot tests.
    [[nodiscard]] std::string to_text() const;

    friend bool operator==(const Buffer&, const Buffer&) = default;

private:
    int width_ = 0;
    int height_ = 0;
    std::vector<Cell> cells_;
};

// Columns a code point takes: 0 (combining marks, zero-width), 1, or 2 (East
// Asian wide and fullwidth, most emoji).
int char_width(char32_t c);
// Columns `text` (UTF-8) takes, as Buffer::print would draw it.
int text_width(std::string_view text);
// The one UTF-8 encoder, for the UI's cells and prompt text.
using core::append_utf8;

}  // namespace sockeye::tui
