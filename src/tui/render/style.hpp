// How a cell looks: foreground, background and attributes. Colours are kept
// in their richest form (24-bit or a palette index); the ANSI writer degrades
// them to what the terminal supports (truecolor, 256, 16, or none).
#pragma once

#include <cstdint>

namespace sockeye::tui {

struct Color {
    enum class Kind : std::uint8_t { terminal_default, indexed, rgb };
    Kind kind = Kind::terminal_default;
    std::uint8_t index = 0;  // Kind::indexed: 0-15 the base colours, 16-255 the xterm palette
    std::uint8_t r = 0, g = 0, b = 0;  // Kind::rgb

    static constexpr Color none() { return {}; }
    static constexpr Color indexed(std::uint8_t i) { return {Kind::indexed, i, 0, 0, 0}; }
    static constexpr Color rgb(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
        return {Kind::rgb, 0, r, g, b};
    }
    friend constexpr bool operator==(const Color&, const Color&) = default;
};

namespace attr {
inline constexpr std::uint8_t bold = 1;
inline constexpr std::uint8_t dim = 2;
inline constexpr std::uint8_t italic = 4;
inline constexpr std::uint8_t underline = 8;
inline constexpr std::uint8_t reverse = 16;
}  // namespace attr

struct Style {
    Color fg{};
    Color bg{};
    std::uint8_t attrs = 0;  // attr:: bits

    friend constexpr bool operator==(const Style&, const Style&) = default;
};

}  // namespace sockeye::tui
