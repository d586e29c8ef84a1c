#include "tui/theme.hpp"

#include <array>
#include <cstdlib>

namespace sockeye::tui {
namespace {

constexpr Color rgb(std::uint8_t r, std::uint8_t g, std::uint8_t b) { return Color::rgb(r, g, b); }
constexpr Color none = Color::none();
constexpr std::uint8_t kBold = attr::bold;

// Colours on the terminal's own background: works on dark and light terminals.
constexpr Theme kDefault{
    "default",
    {none, none, 0},
    {rgb(128, 128, 128), none, 0},
    {rgb(95, 175, 255), none, kBold},
    {rgb(95, 175, 255), none, kBold},
    {rgb(255, 255, 255), rgb(38, 79, 120), 0},
    {rgb(215, 175, 95), none, kBold},
    {rgb(128, 128, 128), none, attr::italic},
    {rgb(110, 110, 110), none, 0},
    {rgb(160, 160, 160), none, 0},
    {rgb(0, 0, 0), rgb(95, 175, 255), kBold},
    {rgb(200, 200, 200), rgb(48, 48, 48), 0},
    {rgb(95, 175, 255), rgb(48, 48, 48), kBold},
    {rgb(255, 95, 95), none, kBold},
    {rgb(95, 215, 95), none, 0},
    {rgb(95, 215, 95), none, 0},
    {rgb(215, 135, 255), none, 0},
    {rgb(95, 175, 255), none, 0},
    {rgb(88, 88, 88), none, 0},
};

// Its own dark background, so it looks the same on any terminal.
constexpr Theme kDark{
    "dark",
    {rgb(208, 208, 208), rgb(28, 28, 28), 0},
    {rgb(118, 118, 118), rgb(28, 28, 28), 0},
    {rgb(135, 215, 255), rgb(28, 28, 28), kBold},
    {rgb(135, 215, 255), rgb(38, 38, 38), kBold},
    {rgb(255, 255, 255), rgb(0, 95, 135), 0},
    {rgb(255, 215, 135), rgb(28, 28, 28), kBold},
    {rgb(118, 118, 118), rgb(28, 28, 28), attr::italic},
    {rgb(88, 88, 88), rgb(28, 28, 28), 0},
    {rgb(138, 138, 138), rgb(38, 38, 38), 0},
    {rgb(28, 28, 28), rgb(135, 215, 255), kBold},
    {rgb(208, 208, 208), rgb(48, 48, 48), 0},
    {rgb(135, 215, 255), rgb(48, 48, 48), kBold},
    {rgb(255, 95, 95), rgb(28, 28, 28), kBold},
    {rgb(135, 255, 135), rgb(28, 28, 28), 0},
    {rgb(135, 255, 135), rgb(28, 28, 28), 0},
    {rgb(255, 135, 255), rgb(28, 28, 28), 0},
    {rgb(95, 175, 215), rgb(28, 28, 28), 0},
    {rgb(78, 78, 78), rgb(28, 28, 28), 0},
};

constexpr Theme kLight{
    "light",
    {rgb(38, 38, 38), rgb(250, 250, 250), 0},
    {rgb(128, 128, 128), rgb(250, 250, 250), 0},
    {rgb(0, 95, 175), rgb(250, 250, 250), kBold},
    {rgb(0, 95, 175), rgb(228, 228, 228), kBold},
    {rgb(0, 0, 0), rgb(175, 215, 255), 0},
    {rgb(135, 95, 0), rgb(250, 250, 250), kBold},
    {rgb(138, 138, 138), rgb(250, 250, 250), attr::italic},
    {rgb(188, 188, 188), rgb(250, 250, 250), 0},
    {rgb(98, 98, 98), rgb(228, 228, 228), 0},
    {rgb(250, 250, 250), rgb(0, 95, 175), kBold},
    {rgb(38, 38, 38), rgb(218, 218, 218), 0},
    {rgb(0, 95, 175), rgb(218, 218, 218), kBold},
    {rgb(215, 0, 0), rgb(250, 250, 250), kBold},
    {rgb(0, 135, 0), rgb(250, 250, 250), 0},
    {rgb(0, 135, 0), rgb(250, 250, 250), 0},
    {rgb(135, 0, 175), rgb(250, 250, 250), 0},
    {rgb(0, 95, 175), rgb(250, 250, 250), 0},
    {rgb(188, 188, 188), rgb(250, 250, 250), 0},
};

// No colours at all (NO_COLOR): only attributes tell things apart.
constexpr Theme kMono{
    "mono",
    {none, none, 0},
    {none, none, attr::dim},
    {none, none, kBold},
    {none, none, kBold | attr::underline},
    {none, none, attr::reverse},
    {none, none, kBold},
    {none, none, attr::dim | attr::italic},
    {none, none, attr::dim},
    {none, none, 0},
    {none, none, attr::reverse | kBold},
    {none, none, attr::reverse},
    {none, none, attr::reverse | kBold},
    {none, none, kBold | attr::underline},
    {none, none, 0},
    {none, none, 0},
    {none, none, 0},
    {none, none, 0},
    {none, none, 0},
};

constexpr std::array<const Theme*, 4> kThemes{&kDefault, &kDark, &kLight, &kMono};

std::uint8_t blend(std::uint8_t from, std::uint8_t to, double t) {
    const double v = static_cast<double>(from) + (static_cast<double>(to) - from) * t;
    return static_cast<std::uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v + 0.5));
}

}  // namespace

const Theme* find_theme(std::string_view name) {
    for (const Theme* t : kThemes)
        if (t->name == name) return t;
    return nullptr;
}

std::vector<std::string_view> theme_names() {
    std::vector<std::string_view> names;
    for (const Theme* t : kThemes) names.push_back(t->name);
    return names;
}

const Theme& resolve_theme(std::string_view name, bool no_color) {
    if (no_color) return kMono;
    const Theme* t = find_theme(name);
    return t != nullptr ? *t : kDefault;
}

bool no_color_requested() {
    const char* v = std::getenv("NO_COLOR");
    return v != nullptr && v[0] != '\0';
}

Style fade(const Theme& theme, Style style, double fraction) {
    if (!(fraction > 0)) return style;
    if (fraction > 1) fraction = 1;
    // Four steps, not a continuous blend: a row changes colour a few times
    // over its life instead of on every refresh, which keeps the diff small.
    const double step = static_cast<double>(static_cast<int>(fraction * 4.0)) / 4.0;
    if (step <= 0) return style;
    const Color to = theme.faded.fg;
    if (style.fg.kind == Color::Kind::rgb && to.kind == Color::Kind::rgb) {
        style.fg = Color::rgb(blend(style.fg.r, to.r, step), blend(style.fg.g, to.g, step),
                              blend(style.fg.b, to.b, step));
    } else if (style.fg.kind == Color::Kind::terminal_default && to.kind == Color::Kind::rgb) {
        // Unknown starting colour: jump to the faded colour for the last half.
        if (step >= 0.5) style.fg = to;
    } else if (step >= 0.5) {
        style.attrs = static_cast<std::uint8_t>(style.attrs | attr::dim);
    }
    return style;
}

}  // namespace sockeye::tui
