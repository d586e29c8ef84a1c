#include "tui/theme.hpp"

#include <array>
#include <cstdlib>

namespace sockeye::tui {
namespace {

constexpr Color rgb(std::uint8_t r, std::uint8_t g, std::uint8_t b) { return Color::rgb(r, g, b); }
constexpr Color none = Color::none();
constexpr std::uint8_t kBold = attr::bold;

// Each role is named (designated initialisers), so a role added to Theme or
// moved in it cannot shift the others' colours unnoticed.

// Colours on the terminal's own background: works on dark and light terminals.
constexpr Theme kDefault{
    .name = "default",
    .base = {none, none, 0},
    .muted = {rgb(128, 128, 128), none, 0},
    .accent = {rgb(95, 175, 255), none, kBold},
    .header = {rgb(95, 175, 255), none, kBold},
    .selected = {rgb(255, 255, 255), rgb(38, 79, 120), 0},
    .group = {rgb(215, 175, 95), none, kBold},
    .ended = {rgb(128, 128, 128), none, attr::italic},
    .faded = {rgb(110, 110, 110), none, 0},
    .tab = {rgb(160, 160, 160), none, 0},
    .tab_active = {rgb(0, 0, 0), rgb(95, 175, 255), kBold},
    .status = {rgb(200, 200, 200), rgb(48, 48, 48), 0},
    .status_key = {rgb(95, 175, 255), rgb(48, 48, 48), kBold},
    .error = {rgb(255, 95, 95), none, kBold},
    .good = {rgb(95, 215, 95), none, 0},
    .down = {rgb(95, 215, 95), none, 0},
    .up = {rgb(215, 135, 255), none, 0},
    .bar = {rgb(95, 175, 255), none, 0},
    .border = {rgb(88, 88, 88), none, 0},
};

// Its own dark background, so it looks the same on any terminal.
constexpr Theme kDark{
    .name = "dark",
    .base = {rgb(208, 208, 208), rgb(28, 28, 28), 0},
    .muted = {rgb(118, 118, 118), rgb(28, 28, 28), 0},
    .accent = {rgb(135, 215, 255), rgb(28, 28, 28), kBold},
    .header = {rgb(135, 215, 255), rgb(38, 38, 38), kBold},
    .selected = {rgb(255, 255, 255), rgb(0, 95, 135), 0},
    .group = {rgb(255, 215, 135), rgb(28, 28, 28), kBold},
    .ended = {rgb(118, 118, 118), rgb(28, 28, 28), attr::italic},
    .faded = {rgb(88, 88, 88), rgb(28, 28, 28), 0},
    .tab = {rgb(138, 138, 138), rgb(38, 38, 38), 0},
    .tab_active = {rgb(28, 28, 28), rgb(135, 215, 255), kBold},
    .status = {rgb(208, 208, 208), rgb(48, 48, 48), 0},
    .status_key = {rgb(135, 215, 255), rgb(48, 48, 48), kBold},
    .error = {rgb(255, 95, 95), rgb(28, 28, 28), kBold},
    .good = {rgb(135, 255, 135), rgb(28, 28, 28), 0},
    .down = {rgb(135, 255, 135), rgb(28, 28, 28), 0},
    .up = {rgb(255, 135, 255), rgb(28, 28, 28), 0},
    .bar = {rgb(95, 175, 215), rgb(28, 28, 28), 0},
    .border = {rgb(78, 78, 78), rgb(28, 28, 28), 0},
};

constexpr Theme kLight{
    .name = "light",
    .base = {rgb(38, 38, 38), rgb(250, 250, 250), 0},
    .muted = {rgb(128, 128, 128), rgb(250, 250, 250), 0},
    .accent = {rgb(0, 95, 175), rgb(250, 250, 250), kBold},
    .header = {rgb(0, 95, 175), rgb(228, 228, 228), kBold},
    .selected = {rgb(0, 0, 0), rgb(175, 215, 255), 0},
    .group = {rgb(135, 95, 0), rgb(250, 250, 250), kBold},
    .ended = {rgb(138, 138, 138), rgb(250, 250, 250), attr::italic},
    .faded = {rgb(188, 188, 188), rgb(250, 250, 250), 0},
    .tab = {rgb(98, 98, 98), rgb(228, 228, 228), 0},
    .tab_active = {rgb(250, 250, 250), rgb(0, 95, 175), kBold},
    .status = {rgb(38, 38, 38), rgb(218, 218, 218), 0},
    .status_key = {rgb(0, 95, 175), rgb(218, 218, 218), kBold},
    .error = {rgb(215, 0, 0), rgb(250, 250, 250), kBold},
    .good = {rgb(0, 135, 0), rgb(250, 250, 250), 0},
    .down = {rgb(0, 135, 0), rgb(250, 250, 250), 0},
    .up = {rgb(135, 0, 175), rgb(250, 250, 250), 0},
    .bar = {rgb(0, 95, 175), rgb(250, 250, 250), 0},
    .border = {rgb(188, 188, 188), rgb(250, 250, 250), 0},
};

// No colours at all (NO_COLOR): only attributes tell things apart.
constexpr Theme kMono{
    .name = "mono",
    .base = {none, none, 0},
    .muted = {none, none, attr::dim},
    .accent = {none, none, kBold},
    .header = {none, none, kBold | attr::underline},
    .selected = {none, none, attr::reverse},
    .group = {none, none, kBold},
    .ended = {none, none, attr::dim | attr::italic},
    .faded = {none, none, attr::dim},
    .tab = {none, none, 0},
    .tab_active = {none, none, attr::reverse | kBold},
    .status = {none, none, attr::reverse},
    .status_key = {none, none, attr::reverse | kBold},
    .error = {none, none, kBold | attr::underline},
    .good = {none, none, 0},
    .down = {none, none, 0},
    .up = {none, none, 0},
    .bar = {none, none, 0},
    .border = {none, none, 0},
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
