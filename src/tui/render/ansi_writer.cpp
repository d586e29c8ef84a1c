#include "tui/render/ansi_writer.hpp"

#include <cstddef>

#include "core/printable_text.hpp"

namespace sockeye::tui {
namespace {

constexpr std::string_view kSyncBegin = "\x1b[?2026h";
constexpr std::string_view kSyncEnd = "\x1b[?2026l";
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kClear = "\x1b[H\x1b[2J";
// Unchanged cells between two runs on a row are reprinted instead of moved
// over when there are at most this many: shorter than any cursor sequence.
constexpr int kMaxBridge = 3;

const Cell kBlankCell{};

bool is_continuation(const Cell& c) { return c.ch == Cell::kContinuation; }

bool is_printable(char32_t c) {
    return !core::is_control_code_point(c) && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
}

// The cell at (x, y) of `b`, or a blank when `b` is null (a cleared screen).
const Cell& cell_or_blank(const Buffer* b, int x, int y) { return b ? b->at(x, y) : kBlankCell; }

// A code point as the terminal will be sent it, and the columns it takes.
struct Glyph {
    char32_t cp = U' ';
    int width = 1;
};

// Whether (x, y) starts a wide character whose right half is in the buffer.
bool is_wide_start(const Buffer& b, int x, int y) {
    const char32_t c = b.at(x, y).ch;
    if (c < 0x1100 || !is_printable(c) || c == Cell::kContinuation) return false;
    return char_width(c) == 2 && x + 1 < b.width() && is_continuation(b.at(x + 1, y));
}

// What to send for the cell at (x, y). Cells that cannot be drawn as stored
// (control characters, zero-width marks, a wide character without room or
// its continuation, a continuation without its wide character) degrade to
// one narrow glyph so the writer's idea of the cursor stays exact.
Glyph glyph_at(const Buffer& b, int x, int y) {
    const char32_t c = b.at(x, y).ch;
    if (c >= 0x20 && c < 0x7F) return {c, 1};
    if (c == Cell::kContinuation) return {U' ', is_wide_start(b, x - 1, y) ? 0 : 1};
    if (!is_printable(c)) return {core::is_control_code_point(c) ? U'?' : U'\uFFFD', 1};
    const int w = char_width(c);
    if (w == 0) return {U' ', 1};
    if (w == 2 && !is_wide_start(b, x, y)) return {U' ', 1};
    return {c, w};
}

void append_uint(std::string& out, unsigned v) {
    char digits[10];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0 && n < 10);
    while (n > 0) out += digits[--n];
}

// ";38;5;n"-style parameters for a colour already degraded to the mode.
// `base` is 30 for the foreground, 40 for the background.
void append_color(std::string& out, const Color& c, unsigned base) {
    switch (c.kind) {
        case Color::Kind::terminal_default:
            return;
        case Color::Kind::indexed:
            out += ';';
            if (c.index < 8) {
                append_uint(out, base + c.index);
            } else if (c.index < 16) {
                append_uint(out, base + 60 + (c.index - 8U));
            } else {
                append_uint(out, base + 8);
                out += ";5;";
                append_uint(out, c.index);
            }
            return;
        case Color::Kind::rgb:
            out += ';';
            append_uint(out, base + 8);
            out += ";2;";
            append_uint(out, c.r);
            out += ';';
            append_uint(out, c.g);
            out += ';';
            append_uint(out, c.b);
            return;
    }
}

Style degrade_style(const Style& s, ColorMode mode) {
    return {degrade(s.fg, mode), degrade(s.bg, mode), s.attrs};
}

void append_sgr(std::string& out, const Style& degraded) {
    out += "\x1b[0";
    static constexpr struct {
        std::uint8_t bit;
        const char* code;
    } kAttrs[] = {{attr::bold, ";1"},      {attr::dim, ";2"},     {attr::italic, ";3"},
                  {attr::underline, ";4"}, {attr::reverse, ";7"}};
    for (const auto& a : kAttrs)
        if ((degraded.attrs & a.bit) != 0) out += a.code;
    append_color(out, degraded.fg, 30);
    append_color(out, degraded.bg, 40);
    out += 'm';
}

// Changed runs of row y from `prev` (null: a blank screen) to `next`, grown
// so that no run splits a wide character, appended to `runs`.
void diff_row(const Buffer* prev, const Buffer& next, int y, std::vector<ChangedRun>& runs) {
    const int w = next.width();
    const auto touches_wide = [&](int x) {
        return is_continuation(next.at(x, y)) || is_continuation(cell_or_blank(prev, x, y));
    };
    const std::size_t row_first = runs.size();
    int x = 0;
    while (x < w) {
        if (next.at(x, y) == cell_or_blank(prev, x, y)) {
            ++x;
            continue;
        }
        int start = x;
        while (x < w && !(next.at(x, y) == cell_or_blank(prev, x, y))) ++x;
        int end = x;
        while (start > 0 && touches_wide(start)) --start;
        while (end < w && touches_wide(end)) ++end;
        if (runs.size() > row_first && runs.back().x + runs.back().width >= start) {
            runs.back().width = end - runs.back().x;
        } else {
            runs.push_back({y, start, end - start});
        }
        x = end;
    }
}

void collect_runs(const Buffer* prev, const Buffer& next, std::vector<ChangedRun>& runs) {
    for (int y = 0; y < next.height(); ++y) diff_row(prev, next, y, runs);
}

// Writes runs of cells, tracking where the terminal's cursor and pen are so
// it emits a move or an SGR only when needed.
class Emitter {
public:
    Emitter(std::string& out, const Buffer& next, ColorMode mode)
        : out_(out), next_(next), mode_(mode) {}

    void assume_home_and_reset() {
        cx_ = 0;
        cy_ = 0;
        pen_known_ = true;
        pen_ = Style{};
    }

    void run(const ChangedRun& r) {
        move_to(r.x, r.y);
        for (int x = r.x; x < r.x + r.width; ++x) put(x, r.y);
    }

    void finish() {
        if (!pen_known_ || !(pen_ == Style{})) out_ += kReset;
    }

private:
    void put(int x, int y) {
        const Glyph g = glyph_at(next_, x, y);
        if (g.width == 0) return;  // right half of a wide character already sent
        set_style(next_.at(x, y).style);
        append_utf8(out_, g.cp);
        cx_ += g.width;
        // At the right edge the terminal holds a pending wrap; where the
        // next character would land depends on the terminal, so forget it.
        if (cx_ >= next_.width()) cy_ = -1;
    }

    void set_style(const Style& raw) {
        if (raw_known_ && raw == raw_) {
            if (pen_known_ && degraded_ == pen_) return;
        } else {
            raw_ = raw;
            raw_known_ = true;
            degraded_ = degrade_style(raw, mode_);
        }
        if (pen_known_ && degraded_ == pen_) return;
        append_sgr(out_, degraded_);
        pen_ = degraded_;
        pen_known_ = true;
    }

    // Whether cells [from, to) of row y can be reprinted as they are with
    // the current pen: narrow, single-byte, same style.
    bool can_bridge(int from, int to, int y) {
        if (to - from > kMaxBridge || !pen_known_) return false;
        for (int x = from; x < to; ++x) {
            const Cell& c = next_.at(x, y);
            if (c.ch < 0x20 || c.ch >= 0x7F) return false;
            if (!(degrade_style(c.style, mode_) == pen_)) return false;
        }
        return true;
    }

    void move_to(int x, int y) {
        if (cy_ == y && cx_ == x) return;
        if (cy_ == y && x > cx_) {
            if (can_bridge(cx_, x, y)) {
                for (int bx = cx_; bx < x; ++bx) out_ += static_cast<char>(next_.at(bx, y).ch);
            } else {
                out_ += "\x1b[";
                if (x - cx_ > 1) append_uint(out_, static_cast<unsigned>(x - cx_));
                out_ += 'C';
            }
        } else {
            out_ += "\x1b[";
            append_uint(out_, static_cast<unsigned>(y + 1));
            out_ += ';';
            append_uint(out_, static_cast<unsigned>(x + 1));
            out_ += 'H';
        }
        cx_ = x;
        cy_ = y;
    }

    std::string& out_;
    const Buffer& next_;
    ColorMode mode_;
    int cx_ = -1, cy_ = -1;  // cy_ -1: unknown
    bool pen_known_ = false;
    Style pen_{};
    bool raw_known_ = false;
    Style raw_{};
    Style degraded_{};
};

}  // namespace

std::vector<ChangedRun> diff_buffers(const Buffer& previous, const Buffer& next) {
    std::vector<ChangedRun> runs;
    if (previous.width() != next.width() || previous.height() != next.height()) {
        for (int y = 0; y < next.height(); ++y)
            if (next.width() > 0) runs.push_back({y, 0, next.width()});
        return runs;
    }
    collect_runs(&previous, next, runs);
    return runs;
}

void append_frame(std::string& out, const Buffer* previous, const Buffer& next, ColorMode mode) {
    const bool full = previous == nullptr || previous->width() != next.width() ||
                      previous->height() != next.height();
    const Buffer* base = full ? nullptr : previous;
    // One reusable run list per thread: the diff runs every frame.
    thread_local std::vector<ChangedRun> runs;
    runs.clear();
    collect_runs(base, next, runs);
    if (!full && runs.empty()) return;

    out += kSyncBegin;
    Emitter emitter(out, next, mode);
    if (full) {
        out += kReset;
        out += kClear;
        emitter.assume_home_and_reset();
    }
    for (const ChangedRun& r : runs) emitter.run(r);
    emitter.finish();
    out += kSyncEnd;
}

std::string render_frame(const Buffer* previous, const Buffer& next, ColorMode mode) {
    std::string out;
    append_frame(out, previous, next, mode);
    return out;
}

std::string sgr_for(const Style& style, ColorMode mode) {
    const Style d = degrade_style(style, mode);
    if (d == Style{}) return std::string(kReset);
    std::string out;
    append_sgr(out, d);
    return out;
}

}  // namespace sockeye::tui
