#include "tui/render/color_mode.hpp"

#include <array>
#include <cstdlib>
#include <string_view>

namespace sockeye::tui {
namespace {

// xterm's defaults for the 16 base colours.
constexpr std::array<Rgb, 16> kBase16 = {{
    {0, 0, 0},       {205, 0, 0},     {0, 205, 0},     {205, 205, 0},
    {0, 0, 238},     {205, 0, 205},   {0, 205, 205},   {229, 229, 229},
    {127, 127, 127}, {255, 0, 0},     {0, 255, 0},     {255, 255, 0},
    {92, 92, 255},   {255, 0, 255},   {0, 255, 255},   {255, 255, 255},
}};

// The six levels of each axis of the 6x6x6 cube (indices 16-231).
constexpr std::array<int, 6> kCubeLevels = {0, 95, 135, 175, 215, 255};

int distance2(Rgb a, int r, int g, int b) {
    const int dr = a.r - r, dg = a.g - g, db = a.b - b;
    return dr * dr + dg * dg + db * db;
}

// The cube level nearest to `v` (levels are not evenly spaced).
int nearest_cube_level(int v) {
    int best = 0;
    for (int i = 1; i < 6; ++i) {
        const int d = v - kCubeLevels[static_cast<std::size_t>(i)];
        const int bd = v - kCubeLevels[static_cast<std::size_t>(best)];
        if (d * d < bd * bd) best = i;
    }
    return best;
}

}  // namespace

ColorMode detect_color_mode(const char* no_color, const char* colorterm, const char* term) {
    if (no_color != nullptr && no_color[0] != '\0') return ColorMode::none;
    if (colorterm != nullptr) {
        const std::string_view ct(colorterm);
        if (ct == "truecolor" || ct == "24bit") return ColorMode::truecolor;
    }
    if (term != nullptr) {
        const std::string_view t(term);
        // Terminals that advertise direct colour in TERM (xterm-direct, ...).
        if (t.find("direct") != std::string_view::npos) return ColorMode::truecolor;
        if (t.find("256color") != std::string_view::npos) return ColorMode::indexed256;
    }
    return ColorMode::basic16;
}

ColorMode detect_color_mode() {
    return detect_color_mode(std::getenv("NO_COLOR"), std::getenv("COLORTERM"),
                             std::getenv("TERM"));
}

Rgb palette_rgb(std::uint8_t index) {
    if (index < 16) return kBase16[index];
    if (index >= 232) {
        const auto v = static_cast<std::uint8_t>(8 + 10 * (index - 232));
        return {v, v, v};
    }
    const int i = index - 16;
    return {static_cast<std::uint8_t>(kCubeLevels[static_cast<std::size_t>(i / 36)]),
            static_cast<std::uint8_t>(kCubeLevels[static_cast<std::size_t>((i / 6) % 6)]),
            static_cast<std::uint8_t>(kCubeLevels[static_cast<std::size_t>(i % 6)])};
}

std::uint8_t rgb_to_256(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    const int ri = nearest_cube_level(r), gi = nearest_cube_level(g), bi = nearest_cube_level(b);
    const auto cube = static_cast<std::uint8_t>(16 + 36 * ri + 6 * gi + bi);
    // The grey ramp (232-255: 8, 18, ..., 238) is finer than the cube's
    // diagonal, so a grey-ish colour may sit closer to it.
    const int mean = (r + g + b) / 3;
    int step = (mean - 8 + 5) / 10;
    if (step < 0) step = 0;
    if (step > 23) step = 23;
    const auto grey = static_cast<std::uint8_t>(232 + step);
    return distance2(palette_rgb(grey), r, g, b) < distance2(palette_rgb(cube), r, g, b) ? grey
                                                                                          : cube;
}

std::uint8_t rgb_to_16(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    std::uint8_t best = 0;
    int best_d = distance2(kBase16[0], r, g, b);
    for (std::uint8_t i = 1; i < 16; ++i) {
        const int d = distance2(kBase16[i], r, g, b);
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

std::uint8_t index_to_16(std::uint8_t index) {
    if (index < 16) return index;
    const Rgb c = palette_rgb(index);
    return rgb_to_16(c.r, c.g, c.b);
}

Color degrade(Color c, ColorMode mode) {
    switch (mode) {
        case ColorMode::none:
            return Color::none();
        case ColorMode::truecolor:
            return c;
        case ColorMode::indexed256:
            if (c.kind == Color::Kind::rgb) return Color::indexed(rgb_to_256(c.r, c.g, c.b));
            return c;
        case ColorMode::basic16:
            if (c.kind == Color::Kind::rgb) return Color::indexed(rgb_to_16(c.r, c.g, c.b));
            if (c.kind == Color::Kind::indexed) return Color::indexed(index_to_16(c.index));
            return c;
    }
    return c;
}

}  // namespace sockeye::tui
