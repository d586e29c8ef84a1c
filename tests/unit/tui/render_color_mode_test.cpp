// Colour mode detection from the environment and colour degradation.
#include <gtest/gtest.h>

#include "tui/render/ansi_writer.hpp"
#include "tui/render/color_mode.hpp"

namespace sockeye::tui {
namespace {

TEST(RenderColorMode, NoColorWinsWhenNonEmpty) {
    EXPECT_EQ(detect_color_mode("1", "truecolor", "xterm-256color"), ColorMode::none);
    // An empty NO_COLOR does not count (no-color.org).
    EXPECT_EQ(detect_color_mode("", "truecolor", "xterm"), ColorMode::truecolor);
}

TEST(RenderColorMode, ColortermAndTerm) {
    EXPECT_EQ(detect_color_mode(nullptr, "truecolor", "xterm"), ColorMode::truecolor);
    EXPECT_EQ(detect_color_mode(nullptr, "24bit", nullptr), ColorMode::truecolor);
    EXPECT_EQ(detect_color_mode(nullptr, "yes", "xterm-256color"), ColorMode::indexed256);
    EXPECT_EQ(detect_color_mode(nullptr, nullptr, "screen-256color"), ColorMode::indexed256);
    EXPECT_EQ(detect_color_mode(nullptr, nullptr, "xterm-direct"), ColorMode::truecolor);
    EXPECT_EQ(detect_color_mode(nullptr, nullptr, "xterm"), ColorMode::basic16);
    EXPECT_EQ(detect_color_mode(nullptr, nullptr, "linux"), ColorMode::basic16);
    // No TERM, or a dumb one: still draw, with the base colours.
    EXPECT_EQ(detect_color_mode(nullptr, nullptr, nullptr), ColorMode::basic16);
    EXPECT_EQ(detect_color_mode(nullptr, nullptr, "dumb"), ColorMode::basic16);
}

TEST(RenderColorMode, PaletteValues) {
    const Rgb red = palette_rgb(196);
    EXPECT_EQ(red.r, 255);
    EXPECT_EQ(red.g, 0);
    EXPECT_EQ(red.b, 0);
    const Rgb c67 = palette_rgb(67);  // 16 + 36*1 + 6*2 + 3
    EXPECT_EQ(c67.r, 95);
    EXPECT_EQ(c67.g, 135);
    EXPECT_EQ(c67.b, 175);
    EXPECT_EQ(palette_rgb(232).r, 8);
    EXPECT_EQ(palette_rgb(255).r, 238);
    EXPECT_EQ(palette_rgb(9).r, 255);
}

TEST(RenderColorMode, RgbToXterm256) {
    EXPECT_EQ(rgb_to_256(255, 0, 0), 196);
    EXPECT_EQ(rgb_to_256(0, 0, 0), 16);
    EXPECT_EQ(rgb_to_256(255, 255, 255), 231);
    EXPECT_EQ(rgb_to_256(95, 135, 175), 67);
    EXPECT_EQ(rgb_to_256(100, 130, 180), 67);  // nearest cube point
    EXPECT_EQ(rgb_to_256(128, 128, 128), 244);  // exactly on the grey ramp
    EXPECT_EQ(rgb_to_256(30, 30, 30), 234);     // greys prefer the finer ramp
}

TEST(RenderColorMode, RgbAndIndexedTo16) {
    EXPECT_EQ(rgb_to_16(0, 0, 0), 0);
    EXPECT_EQ(rgb_to_16(255, 0, 0), 9);
    EXPECT_EQ(rgb_to_16(200, 10, 10), 1);
    EXPECT_EQ(rgb_to_16(250, 250, 250), 15);
    EXPECT_EQ(rgb_to_16(128, 128, 128), 8);
    EXPECT_EQ(rgb_to_16(0, 0, 200), 4);
    EXPECT_EQ(index_to_16(196), 9);
    EXPECT_EQ(index_to_16(16), 0);
    EXPECT_EQ(index_to_16(231), 15);
    EXPECT_EQ(index_to_16(28), 2);  // (0, 135, 0)
    for (int i = 0; i < 16; ++i) EXPECT_EQ(index_to_16(static_cast<std::uint8_t>(i)), i);
    for (int i = 0; i < 256; ++i) EXPECT_LT(index_to_16(static_cast<std::uint8_t>(i)), 16);
}

TEST(RenderColorMode, DegradeByMode) {
    const Color rgb = Color::rgb(255, 0, 0);
    const Color idx = Color::indexed(196);
    EXPECT_EQ(degrade(rgb, ColorMode::truecolor), rgb);
    EXPECT_EQ(degrade(rgb, ColorMode::indexed256), Color::indexed(196));
    EXPECT_EQ(degrade(rgb, ColorMode::basic16), Color::indexed(9));
    EXPECT_EQ(degrade(rgb, ColorMode::none), Color::none());
    EXPECT_EQ(degrade(idx, ColorMode::indexed256), idx);
    EXPECT_EQ(degrade(idx, ColorMode::basic16), Color::indexed(9));
    EXPECT_EQ(degrade(Color::indexed(3), ColorMode::basic16), Color::indexed(3));
    EXPECT_EQ(degrade(Color::none(), ColorMode::basic16), Color::none());
}

TEST(RenderColorMode, SgrSequences) {
    Style s;
    EXPECT_EQ(sgr_for(s, ColorMode::truecolor), "\x1b[0m");
    s.fg = Color::rgb(1, 2, 3);
    EXPECT_EQ(sgr_for(s, ColorMode::truecolor), "\x1b[0;38;2;1;2;3m");
    s.fg = Color::rgb(255, 0, 0);
    EXPECT_EQ(sgr_for(s, ColorMode::indexed256), "\x1b[0;38;5;196m");
    EXPECT_EQ(sgr_for(s, ColorMode::basic16), "\x1b[0;91m");
    s.bg = Color::indexed(4);
    EXPECT_EQ(sgr_for(s, ColorMode::basic16), "\x1b[0;91;44m");
    s.bg = Color::indexed(12);
    EXPECT_EQ(sgr_for(s, ColorMode::basic16), "\x1b[0;91;104m");
    s.bg = Color::rgb(0, 0, 0);
    EXPECT_EQ(sgr_for(s, ColorMode::truecolor), "\x1b[0;38;2;255;0;0;48;2;0;0;0m");
    s.attrs = attr::bold | attr::reverse | attr::underline | attr::italic | attr::dim;
    EXPECT_EQ(sgr_for(s, ColorMode::indexed256), "\x1b[0;1;2;3;4;7;38;5;196;48;5;16m");
    // No colour: attributes stay, colours go.
    EXPECT_EQ(sgr_for(s, ColorMode::none), "\x1b[0;1;2;3;4;7m");
}

}  // namespace
}  // namespace sockeye::tui
