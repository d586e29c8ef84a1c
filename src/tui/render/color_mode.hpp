// How many colours the terminal can show, and how a Style's colours degrade
// to that. Detection is a pure function of the environment values so tests
// can drive it; `detect_color_mode()` reads the real environment.
#pragma once

#include <cstdint>

#include "tui/render/style.hpp"

namespace sockeye::tui {

enum class ColorMode : std::uint8_t { none, basic16, indexed256, truecolor };

// Values of NO_COLOR, COLORTERM and TERM; nullptr when the variable is unset.
// NO_COLOR (non-empty) wins; COLORTERM=truecolor/24bit gives 24-bit colour;
// a TERM naming 256color gives the xterm palette; anything else, unset and
// "dumb" included, still draws with the 16 base colours.
ColorMode detect_color_mode(const char* no_color, const char* colorterm, const char* term);
ColorMode detect_color_mode();

// Nearest entry of the xterm 256-colour palette (6x6x6 cube or grey ramp).
std::uint8_t rgb_to_256(std::uint8_t r, std::uint8_t g, std::uint8_t b);
// Nearest of the 16 base colours (xterm's default values).
std::uint8_t rgb_to_16(std::uint8_t r, std::uint8_t g, std::uint8_t b);
// Palette index 16-255 to the nearest base colour; 0-15 are returned as is.
std::uint8_t index_to_16(std::uint8_t index);

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};
// The RGB value xterm shows for a palette index.
Rgb palette_rgb(std::uint8_t index);

// `c` as the terminal in `mode` can show it: rgb stays rgb only in truecolor,
// becomes an index 16-255 in indexed256 and 0-15 in basic16; indexed >= 16
// becomes 0-15 in basic16; everything becomes the default colour in none.
Color degrade(Color c, ColorMode mode);

}  // namespace sockeye::tui
