// Exact bytes of small frames: cursor moves, SGR changes, wide characters,
// full redraws; and the changed runs behind them.
#include <gtest/gtest.h>

#include <string>

#include "tui/render/ansi_writer.hpp"

namespace sockeye::tui {
namespace {

constexpr const char* kBegin = "\x1b[?2026h";
constexpr const char* kEnd = "\x1b[?2026l";

std::string framed(const std::string& body) { return kBegin + body + kEnd; }

Style red_bold() {
    Style s;
    s.fg = Color::indexed(1);
    s.attrs = attr::bold;
    return s;
}

TEST(RenderAnsiWriter, NoChangeWritesNothing) {
    Buffer a(10, 3);
    a.print(0, 0, "hello", {});
    const Buffer b = a;
    EXPECT_EQ(render_frame(&a, b, ColorMode::truecolor), "");
    EXPECT_TRUE(diff_buffers(a, b).empty());
}

TEST(RenderAnsiWriter, OneCellMovesOnceAndSetsThePen) {
    const Buffer prev(10, 3);
    Buffer next(10, 3);
    next.print(3, 1, "X", {});
    EXPECT_EQ(render_frame(&prev, next, ColorMode::truecolor), framed("\x1b[2;4H\x1b[0mX"));
}

TEST(RenderAnsiWriter, AdjacentCellsNeedNoMove) {
    const Buffer prev(10, 3);
    Buffer next(10, 3);
    next.print(2, 0, "ab", {});
    next.print(0, 1, "c", {});
    // After "ab" the cursor is already past it; the next row needs a CUP.
    EXPECT_EQ(render_frame(&prev, next, ColorMode::truecolor),
              framed("\x1b[1;3H\x1b[0mab\x1b[2;1Hc"));
}

TEST(RenderAnsiWriter, ShortGapIsReprintedLongGapIsSkipped) {
    Buffer prev(20, 1);
    prev.print(0, 0, "abcdefghijklmnopqrst", {});
    Buffer next = prev;
    next.print(1, 0, "B", {});
    next.print(4, 0, "E", {});   // gap "cd": reprinted (2 bytes < a move)
    next.print(12, 0, "M", {});  // gap of 7: cursor forward
    EXPECT_EQ(render_frame(&prev, next, ColorMode::truecolor),
              framed("\x1b[1;2H\x1b[0mBcdE\x1b[7CM"));
}

TEST(RenderAnsiWriter, GapWithAnotherStyleIsMovedOver) {
    Buffer prev(10, 1);
    prev.print(0, 0, "abcdef", {});
    prev.set_style({2, 0, 1, 1}, red_bold());
    Buffer next = prev;
    next.print(1, 0, "B", {});
    next.print(3, 0, "D", {});
    // "c" is red and bold: reprinting it would cost two SGRs, so move.
    EXPECT_EQ(render_frame(&prev, next, ColorMode::basic16),
              framed("\x1b[1;2H\x1b[0mB\x1b[CD"));
}

TEST(RenderAnsiWriter, SgrOnlyWhenTheStyleChanges) {
    const Buffer prev(10, 1);
    Buffer next(10, 1);
    next.print(0, 0, "ab", red_bold());
    next.print(2, 0, "cd", {});
    next.print(4, 0, "e", red_bold());
    EXPECT_EQ(render_frame(&prev, next, ColorMode::indexed256),
              framed("\x1b[1;1H\x1b[0;1;31mab\x1b[0mcd\x1b[0;1;31me\x1b[0m"));
}

TEST(RenderAnsiWriter, ColoursThatDegradeAlikeShareOneSgr) {
    const Buffer prev(4, 1);
    Buffer next(4, 1);
    Style a;
    a.fg = Color::rgb(250, 0, 0);
    Style b;
    b.fg = Color::rgb(255, 5, 5);
    next.print(0, 0, "x", a);
    next.print(1, 0, "y", b);
    EXPECT_EQ(render_frame(&prev, next, ColorMode::basic16), framed("\x1b[1;1H\x1b[0;91mxy\x1b[0m"));
    EXPECT_EQ(render_frame(&prev, next, ColorMode::truecolor),
              framed("\x1b[1;1H\x1b[0;38;2;250;0;0mx\x1b[0;38;2;255;5;5my\x1b[0m"));
}

TEST(RenderAnsiWriter, NoColorModeKeepsAttributes) {
    const Buffer prev(4, 1);
    Buffer next(4, 1);
    Style s = red_bold();
    s.bg = Color::rgb(0, 0, 80);
    s.attrs |= attr::reverse;
    next.print(0, 0, "x", s);
    EXPECT_EQ(render_frame(&prev, next, ColorMode::none), framed("\x1b[1;1H\x1b[0;1;7mx\x1b[0m"));
}

TEST(RenderAnsiWriter, FullRedrawClearsThenDrawsNonBlankCells) {
    Buffer next(6, 2);
    next.print(0, 0, "ab", {});
    next.print(2, 1, "c", red_bold());
    const std::string expected =
        framed("\x1b[0m\x1b[H\x1b[2Jab\x1b[2;3H\x1b[0;1;31mc\x1b[0m");
    EXPECT_EQ(render_frame(nullptr, next, ColorMode::basic16), expected);
    // A size change is a full redraw too.
    const Buffer smaller(5, 2);
    EXPECT_EQ(render_frame(&smaller, next, ColorMode::basic16), expected);
    // An empty screen is still cleared.
    EXPECT_EQ(render_frame(nullptr, Buffer(3, 3), ColorMode::basic16),
              framed("\x1b[0m\x1b[H\x1b[2J"));
}

TEST(RenderAnsiWriter, WideCharacterIsSentOnceAsUtf8) {
    const Buffer prev(6, 1);
    Buffer next(6, 1);
    next.print(1, 0, "\xe4\xb8\x96z", {});  // U+4E16, two columns, then z
    EXPECT_EQ(next.at(2, 0).ch, Cell::kContinuation);
    EXPECT_EQ(render_frame(&prev, next, ColorMode::truecolor),
              framed("\x1b[1;2H\x1b[0m\xe4\xb8\x96z"));
}

TEST(RenderAnsiWriter, ChangingOneHalfOfAWideCharacterRedrawsBoth) {
    Buffer prev(6, 1);
    prev.print(0, 0, "a\xe4\xb8\x96" "b", {});
    // Same wide character, new style on its right half only (as a widget
    // highlighting a column might do): both halves go out again.
    Buffer next = prev;
    Cell right = next.at(2, 0);
    right.style = red_bold();
    next.set(2, 0, right);
    const auto runs = diff_buffers(prev, next);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0], (ChangedRun{0, 1, 2}));
    EXPECT_EQ(render_frame(&prev, next, ColorMode::truecolor),
              framed("\x1b[1;2H\x1b[0m\xe4\xb8\x96"));
}

TEST(RenderAnsiWriter, NarrowOverWideAndWideOverNarrow) {
    Buffer prev(6, 1);
    prev.print(0, 0, "\xe4\xb8\x96" "cd", {});
    Buffer next(6, 1);
    next.print(0, 0, "ab\xe7\x95\x8c", {});  // U+754C over "cd"
    EXPECT_EQ(diff_buffers(prev, next), (std::vector<ChangedRun>{{0, 0, 4}}));
    EXPECT_EQ(render_frame(&prev, next, ColorMode::truecolor),
              framed("\x1b[1;1H\x1b[0mab\xe7\x95\x8c"));
}

TEST(RenderAnsiWriter, BrokenWideCellsDegradeToSpaces) {
    const Buffer prev(4, 1);
    Buffer next(4, 1);
    next.set(0, 0, Cell{Cell::kContinuation, {}});  // continuation with no wide char
    next.set(1, 0, Cell{U'\u4e16', {}});            // wide char with no continuation
    next.set(2, 0, Cell{0x1b, {}});                 // a control character
    next.set(3, 0, Cell{U'\u0301', {}});            // a lone combining mark
    EXPECT_EQ(render_frame(&prev, next, ColorMode::truecolor), framed("\x1b[1;1H\x1b[0m  ? "));
}

TEST(RenderAnsiWriter, LastColumnForgetsTheCursor) {
    const Buffer prev(3, 2);
    Buffer next(3, 2);
    next.print(2, 0, "x", {});
    next.print(0, 1, "y", {});
    // After the last column the terminal holds a pending wrap; the writer
    // moves explicitly instead of relying on it.
    EXPECT_EQ(render_frame(&prev, next, ColorMode::truecolor),
              framed("\x1b[1;3H\x1b[0mx\x1b[2;1Hy"));
}

TEST(RenderAnsiWriter, DiffRunsRowByRow) {
    Buffer prev(8, 3);
    prev.print(0, 0, "abcdefgh", {});
    Buffer next = prev;
    next.print(1, 0, "XY", {});
    next.print(6, 0, "Z", {});
    next.print(0, 2, "Q", {});
    EXPECT_EQ(diff_buffers(prev, next),
              (std::vector<ChangedRun>{{0, 1, 2}, {0, 6, 1}, {2, 0, 1}}));
    // Different sizes: every row is one full-width run.
    EXPECT_EQ(diff_buffers(Buffer(2, 2), next),
              (std::vector<ChangedRun>{{0, 0, 8}, {1, 0, 8}, {2, 0, 8}}));
}

TEST(RenderAnsiWriter, AppendFrameAppends) {
    const Buffer prev(3, 1);
    Buffer next(3, 1);
    next.print(0, 0, "a", {});
    std::string out = "head";
    append_frame(out, &prev, next, ColorMode::truecolor);
    EXPECT_EQ(out, "head" + render_frame(&prev, next, ColorMode::truecolor));
}

}  // namespace
}  // namespace sockeye::tui
