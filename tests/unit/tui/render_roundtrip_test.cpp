// Round trip: frames from render_frame, fed to a small VT model written here
// (cursor moves, clear, SGR, UTF-8 text with autowrap), must reproduce the
// buffer exactly, colours as degraded for the mode. Random buffers and
// random edits from a fixed seed, over many frames in a row.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tui/render/ansi_writer.hpp"

namespace sockeye::tui {
namespace {

// Just enough of a VT100/xterm to read what the writer sends. Anything it
// does not model fails the test, so the writer cannot drift into sequences
// the tests do not check.
class VtModel {
public:
    VtModel(int w, int h) : screen_(w, h) {}

    const Buffer& screen() const { return screen_; }

    void feed(std::string_view s) {
        std::size_t i = 0;
        while (i < s.size()) {
            const auto b = static_cast<unsigned char>(s[i]);
            if (b == 0x1b) {
                i = escape(s, i);
            } else {
                i = text(s, i);
            }
        }
    }

private:
    std::size_t escape(std::string_view s, std::size_t i) {
        if (i + 1 >= s.size() || s[i + 1] != '[') {
            ADD_FAILURE() << "unexpected escape at " << i;
            return s.size();
        }
        std::size_t j = i + 2;
        while (j < s.size() && static_cast<unsigned char>(s[j]) >= 0x20 &&
               static_cast<unsigned char>(s[j]) <= 0x3f)
            ++j;
        if (j >= s.size()) {
            ADD_FAILURE() << "unterminated CSI";
            return s.size();
        }
        const std::string params(s.substr(i + 2, j - i - 2));
        csi(params, s[j]);
        return j + 1;
    }

    static std::vector<int> numbers(const std::string& p) {
        std::vector<int> out;
        int v = 0;
        bool any = false;
        for (char c : p) {
            if (c == ';') {
                out.push_back(any ? v : 0);
                v = 0;
                any = false;
            } else {
                v = v * 10 + (c - '0');
                any = true;
            }
        }
        if (!p.empty()) out.push_back(any ? v : 0);
        return out;
    }

    void csi(const std::string& params, char f) {
        if (!params.empty() && params[0] == '?') {
            EXPECT_TRUE(params == "?2026") << params;  // synchronized output only
            EXPECT_TRUE(f == 'h' || f == 'l');
            return;
        }
        const std::vector<int> n = numbers(params);
        switch (f) {
            case 'H':
                y_ = (n.size() > 0 && n[0] > 0 ? n[0] : 1) - 1;
                x_ = (n.size() > 1 && n[1] > 0 ? n[1] : 1) - 1;
                pending_wrap_ = false;
                ASSERT_LT(y_, screen_.height());
                ASSERT_LT(x_, screen_.width());
                break;
            case 'C':
                x_ += n.empty() || n[0] == 0 ? 1 : n[0];
                pending_wrap_ = false;
                ASSERT_LT(x_, screen_.width()) << "cursor forward past the edge";
                break;
            case 'J':
                ASSERT_EQ(n, std::vector<int>{2});
                screen_.fill(screen_.area(), Cell{U' ', Style{}});
                break;
            case 'm':
                sgr(n);
                break;
            default:
                ADD_FAILURE() << "unexpected CSI final " << f;
        }
    }

    static Color extended(const std::vector<int>& n, std::size_t& k) {
        if (k + 1 < n.size() && n[k + 1] == 5) {
            k += 2;
            return Color::indexed(static_cast<std::uint8_t>(n[k]));
        }
        k += 4;
        return Color::rgb(static_cast<std::uint8_t>(n[k - 2]), static_cast<std::uint8_t>(n[k - 1]),
                          static_cast<std::uint8_t>(n[k]));
    }

    void sgr(const std::vector<int>& n) {
        if (n.empty()) pen_ = {};
        for (std::size_t k = 0; k < n.size(); ++k) {
            const int v = n[k];
            if (v == 0) pen_ = {};
            else if (v == 1) pen_.attrs |= attr::bold;
            else if (v == 2) pen_.attrs |= attr::dim;
            else if (v == 3) pen_.attrs |= attr::italic;
            else if (v == 4) pen_.attrs |= attr::underline;
            else if (v == 7) pen_.attrs |= attr::reverse;
            else if (v >= 30 && v <= 37) pen_.fg = Color::indexed(static_cast<std::uint8_t>(v - 30));
            else if (v >= 90 && v <= 97) pen_.fg = Color::indexed(static_cast<std::uint8_t>(v - 82));
            else if (v >= 40 && v <= 47) pen_.bg = Color::indexed(static_cast<std::uint8_t>(v - 40));
            else if (v >= 100 && v <= 107) pen_.bg = Color::indexed(static_cast<std::uint8_t>(v - 92));
            else if (v == 38) pen_.fg = extended(n, k);
            else if (v == 48) pen_.bg = extended(n, k);
            else ADD_FAILURE() << "unexpected SGR " << v;
        }
    }

    std::size_t text(std::string_view s, std::size_t i) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        EXPECT_GE(b0, 0x20) << "control byte in text";
        std::size_t len = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
        char32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1Fu) : len == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
        for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
        put(cp);
        return i + len;
    }

    void put(char32_t cp) {
        const int w = char_width(cp);
        EXPECT_GE(w, 1);
        if (pending_wrap_) {
            // The writer never relies on autowrap: text never follows a
            // write into the last column without a move in between.
            ADD_FAILURE() << "text after the last column";
            pending_wrap_ = false;
            x_ = 0;
            ++y_;
        }
        ASSERT_LE(x_ + w, screen_.width()) << "glyph does not fit";
        screen_.set(x_, y_, Cell{cp, pen_});
        if (w == 2) screen_.set(x_ + 1, y_, Cell{Cell::kContinuation, pen_});
        x_ += w;
        if (x_ >= screen_.width()) {
            x_ = screen_.width() - 1;
            pending_wrap_ = true;
        }
    }

    Buffer screen_;
    int x_ = 0, y_ = 0;
    bool pending_wrap_ = false;
    Style pen_{};
};

// What the terminal should show for `b`: colours degraded, and the right
// half of a wide character carrying its left half's style (the terminal has
// one style per glyph).
Buffer expected_screen(const Buffer& b, ColorMode mode) {
    Buffer out = b;
    for (int y = 0; y < b.height(); ++y) {
        for (int x = 0; x < b.width(); ++x) {
            Cell c = b.at(x, y);
            if (c.ch == Cell::kContinuation) c.style = out.at(x - 1, y).style;
            else c.style = {degrade(c.style.fg, mode), degrade(c.style.bg, mode), c.style.attrs};
            out.set(x, y, c);
        }
    }
    return out;
}

class Scenes {
public:
    explicit Scenes(unsigned seed) : rng_(seed) {}

    Style style() {
        static const Style kStyles[] = {
            {},
            {Color::indexed(2), {}, attr::bold},
            {Color::rgb(200, 120, 40), Color::rgb(20, 20, 30), 0},
            {Color::indexed(250), Color::indexed(17), attr::reverse},
            {{}, Color::indexed(4), attr::underline | attr::dim},
            {Color::indexed(9), {}, attr::italic},
        };
        return kStyles[pick(std::size(kStyles))];
    }

    std::string text() {
        static const char* kWords[] = {"curl", "firefox", "10.0.0.2:443", "\xe4\xb8\x96\xe7\x95\x8c",
                                       "ssh", "\xc3\xa9t\xc3\xa9", "  ", "\xf0\x9f\x98\x80", "x"};
        return kWords[pick(std::size(kWords))];
    }

    void scribble(Buffer& b, int edits) {
        for (int i = 0; i < edits; ++i) {
            const int x = static_cast<int>(pick(static_cast<std::size_t>(b.width())));
            const int y = static_cast<int>(pick(static_cast<std::size_t>(b.height())));
            b.print(x, y, text(), style());
        }
        repair(b);
    }

private:
    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

    // Printing over half of a wide character leaves the other half orphaned;
    // widgets are expected to avoid that, so the random scenes do too (the
    // writer's handling of broken cells has its own test).
    static void repair(Buffer& b) {
        for (int y = 0; y < b.height(); ++y) {
            for (int x = 0; x < b.width(); ++x) {
                const Cell c = b.at(x, y);
                const bool wide = c.ch != Cell::kContinuation && char_width(c.ch) == 2;
                if (wide && b.at(x + 1, y).ch != Cell::kContinuation) b.set(x, y, Cell{U' ', c.style});
                const bool orphan = c.ch == Cell::kContinuation &&
                                    (x == 0 || char_width(b.at(x - 1, y).ch) != 2 ||
                                     b.at(x - 1, y).ch == Cell::kContinuation);
                if (orphan) b.set(x, y, Cell{U' ', c.style});
            }
        }
    }

    std::mt19937 rng_;
};

void run_sequence(ColorMode mode, unsigned seed, int w, int h) {
    Scenes scenes(seed);
    VtModel vt(w, h);
    Buffer prev(w, h);
    scenes.scribble(prev, w * h / 4);
    vt.feed(render_frame(nullptr, prev, mode));
    ASSERT_EQ(vt.screen(), expected_screen(prev, mode)) << "full redraw, seed " << seed;
    for (int frame = 0; frame < 40; ++frame) {
        Buffer next = prev;
        scenes.scribble(next, 1 + frame % 7);
        const std::string bytes = render_frame(&prev, next, mode);
        vt.feed(bytes);
        ASSERT_EQ(vt.screen(), expected_screen(next, mode))
            << "frame " << frame << ", seed " << seed << "\n" << next.to_text();
        prev = next;
    }
}

TEST(RenderRoundTrip, EveryColourMode) {
    for (ColorMode mode : {ColorMode::truecolor, ColorMode::indexed256, ColorMode::basic16,
                           ColorMode::none}) {
        for (unsigned seed = 1; seed <= 5; ++seed) run_sequence(mode, seed, 37, 9);
    }
}

TEST(RenderRoundTrip, TinyAndWideScreens) {
    run_sequence(ColorMode::truecolor, 11, 1, 1);
    run_sequence(ColorMode::truecolor, 12, 2, 5);
    run_sequence(ColorMode::basic16, 13, 200, 3);
}

TEST(RenderRoundTrip, DiffIsSmallerThanARedraw) {
    Scenes scenes(99);
    Buffer prev(120, 40);
    scenes.scribble(prev, 1200);
    Buffer next = prev;
    next.print(5, 5, "changed", {});
    const std::string diff = render_frame(&prev, next, ColorMode::truecolor);
    const std::string full = render_frame(nullptr, next, ColorMode::truecolor);
    EXPECT_LT(diff.size(), 60u);
    EXPECT_GT(full.size(), 10 * diff.size());
}

}  // namespace
}  // namespace sockeye::tui
