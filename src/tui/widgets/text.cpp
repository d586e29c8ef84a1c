#include "tui/widgets/text.hpp"

#include "core/printable_text.hpp"

namespace sockeye::tui {

std::string fit_text(std::string_view text, int width) {
    if (width <= 0) return "";
    if (text_width(text) <= width) return std::string(text);
    // Keep whole code points while they fit in width - 1, then add the ellipsis.
    std::size_t i = 0;
    int used = 0;
    while (i < text.size()) {
        // Sequences as print() decodes them: a malformed one ends at its
        // first bad byte, so "\xE0\x80\x9B" is three columns of U+FFFD.
        const std::size_t len = core::decode_utf8(text, i).length;
        const int w = text_width(text.substr(i, len));
        if (used + w > width - 1) break;
        used += w;
        i += len;
    }
    return std::string(text.substr(0, i)) + "…";
}

void draw_text(Buffer& buf, int x, int y, int width, std::string_view text, Style style,
               bool align_right) {
    if (width <= 0) return;
    const std::string fitted = fit_text(text, width);
    const int w = text_width(fitted);
    buf.fill({x, y, width, 1}, Cell{U' ', style});
    buf.print(align_right ? x + width - w : x, y, fitted, style, width);
}

std::vector<std::string> wrap_text(std::string_view text, int width) {
    std::vector<std::string> lines;
    if (width <= 0) return lines;
    std::string line;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && text[pos] == ' ') ++pos;
        if (pos >= text.size()) break;
        std::size_t end = text.find(' ', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view word = text.substr(pos, end - pos);
        pos = end;
        const int line_w = text_width(line);
        const int word_w = text_width(word);
        if (!line.empty() && line_w + 1 + word_w <= width) {
            line += ' ';
            line += word;
            continue;
        }
        if (!line.empty()) lines.push_back(std::move(line));
        line = word_w <= width ? std::string(word) : fit_text(word, width);
    }
    if (!line.empty()) lines.push_back(std::move(line));
    return lines;
}

}  // namespace sockeye::tui
