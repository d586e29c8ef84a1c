// The colours of the UI. Every theme is a set of Styles with full Color
// values; the ANSI writer degrades them to what the terminal can show, so a
// theme never has to know whether it runs in 16 colours or truecolor.
#pragma once

#include <string_view>
#include <vector>

#include "tui/render/style.hpp"

namespace sockeye::tui {

struct Theme {
    std::string_view name;
    Style base;            // background of the whole screen and plain text
    Style muted;           // labels, units, separators
    Style accent;          // titles, the active tab
    Style header;          // table header row
    Style selected;        // the selected row
    Style group;           // process group rows in the grouped table
    Style ended;           // flows that have ended (shown with `t`)
    Style faded;           // where a row fades to as it approaches its idle timeout
    Style tab;             // inactive tab
    Style tab_active;
    Style status;          // the status bar
    Style status_key;      // key names in the status bar
    Style error;           // filter errors, warnings
    Style good;            // healthy values
    Style down;            // download: chart line, rate column
    Style up;              // upload
    Style bar;             // bars in the breakdowns
    Style border;          // boxes (help overlay, panels)
};

// "default", "dark", "light", "mono"; null for an unknown name.
const Theme* find_theme(std::string_view name);
std::vector<std::string_view> theme_names();
// The theme to use: mono when NO_COLOR asks for it, else `name` (default
// when unknown).
const Theme& resolve_theme(std::string_view name, bool no_color);
// True when the NO_COLOR environment variable is set and not empty (no-color.org).
bool no_color_requested();

// A row's style `fraction` (0 fresh .. 1 about to time out) of the way from
// `style` to the theme's faded style. Colours blend when both are RGB; other
// themes switch to `dim` past halfway.
Style fade(const Theme& theme, Style style, double fraction);

}  // namespace sockeye::tui
