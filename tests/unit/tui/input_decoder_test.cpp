// Input decoder fixtures: every kind of sequence, whole and split at every
// byte; hostile input; the lone-ESC flush; double-click tracking.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tui/term/input_decoder.hpp"

namespace sockeye::tui {
namespace {

InputEvent k(Key key, std::uint8_t mods = 0) {
    InputEvent e;
    e.key = key;
    e.modifiers = mods;
    return e;
}

InputEvent ch(char32_t c, std::uint8_t mods = 0) {
    InputEvent e = k(Key::character, mods);
    e.ch = c;
    return e;
}

InputEvent mouse(MouseAction a, MouseButton b, int x, int y, std::uint8_t mods = 0) {
    InputEvent e;
    e.kind = InputEvent::Kind::mouse;
    e.mouse = a;
    e.button = b;
    e.x = x;
    e.y = y;
    e.modifiers = mods;
    return e;
}

bool same(const InputEvent& a, const InputEvent& b) {
    return a.kind == b.kind && a.key == b.key && a.ch == b.ch && a.modifiers == b.modifiers &&
           a.mouse == b.mouse && a.button == b.button && a.x == b.x && a.y == b.y &&
           a.clicks == b.clicks;
}

std::string describe(const std::vector<InputEvent>& events) {
    std::string s;
    for (const InputEvent& e : events) {
        s += "{kind " + std::to_string(static_cast<int>(e.kind)) + " key " +
             std::to_string(static_cast<int>(e.key)) + " ch " + std::to_string(e.ch) + " mods " +
             std::to_string(e.modifiers) + " mouse " + std::to_string(static_cast<int>(e.mouse)) +
             " button " + std::to_string(static_cast<int>(e.button)) + " at " +
             std::to_string(e.x) + "," + std::to_string(e.y) + "} ";
    }
    return s;
}

void expect_events(const std::vector<InputEvent>& got, const std::vector<InputEvent>& want,
                   const std::string& what) {
    bool equal = got.size() == want.size();
    for (std::size_t i = 0; equal && i < got.size(); ++i) equal = same(got[i], want[i]);
    EXPECT_TRUE(equal) << what << "\n got:  " << describe(got) << "\n want: " << describe(want);
}

// Feeds `bytes` whole, then one byte at a time, then split at every point,
// and expects the same events each way (flushing at the end).
void check(const std::string& bytes, const std::vector<InputEvent>& want) {
    {
        InputDecoder d;
        auto got = d.feed(bytes);
        auto rest = d.flush_pending();
        got.insert(got.end(), rest.begin(), rest.end());
        expect_events(got, want, "whole: " + bytes);
    }
    {
        InputDecoder d;
        std::vector<InputEvent> got;
        for (char c : bytes) {
            auto part = d.feed(std::string(1, c));
            got.insert(got.end(), part.begin(), part.end());
        }
        auto rest = d.flush_pending();
        got.insert(got.end(), rest.begin(), rest.end());
        expect_events(got, want, "byte by byte: " + bytes);
    }
    for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
        InputDecoder d;
        auto got = d.feed(bytes.substr(0, cut));
        auto part = d.feed(bytes.substr(cut));
        got.insert(got.end(), part.begin(), part.end());
        auto rest = d.flush_pending();
        got.insert(got.end(), rest.begin(), rest.end());
        expect_events(got, want, "split at " + std::to_string(cut) + ": " + bytes);
    }
}

TEST(InputDecoder, PrintableAsciiAndUtf8) {
    check("a/Z 9", {ch('a'), ch('/'), ch('Z'), ch(' '), ch('9')});
    check("\xc3\xa9", {ch(0xE9)});                 // é
    check("\xe4\xb8\x96", {ch(0x4E16)});           // 世
    check("\xf0\x9f\x98\x80x", {ch(0x1F600), ch('x')});
}

TEST(InputDecoder, InvalidUtf8IsDropped) {
    check("\x80" "a", {ch('a')});                  // stray continuation byte
    check("\xc3(", {ch('(')});                     // lead without continuation
    check("\xc0\xaf" "b", {ch('b')});              // overlong '/'
    check("\xed\xa0\x80" "c", {ch('c')});          // surrogate
    check("\xc2\x9b" "d", {ch('d')});              // C1 CSI as UTF-8: not a key
    check("\xff\xfe", {});
}

TEST(InputDecoder, ControlKeys) {
    check("\r\n\t\x7f\x08", {k(Key::enter), k(Key::enter), k(Key::tab), k(Key::backspace),
                             k(Key::backspace)});
    check("\x03", {ch('c', mod::ctrl)});
    check("\x01\x1a", {ch('a', mod::ctrl), ch('z', mod::ctrl)});
    check("\x0c\x15", {ch('l', mod::ctrl), ch('u', mod::ctrl)});
    check(std::string(1, '\0'), {ch(' ', mod::ctrl)});
    check("\x1c\x1f", {ch('\\', mod::ctrl), ch('_', mod::ctrl)});
}

TEST(InputDecoder, ArrowsHomeEndInCsiAndSs3) {
    check("\x1b[A\x1b[B\x1b[C\x1b[D", {k(Key::up), k(Key::down), k(Key::right), k(Key::left)});
    check("\x1bOA\x1bOD\x1bOH\x1bOF", {k(Key::up), k(Key::left), k(Key::home), k(Key::end)});
    check("\x1b[H\x1b[F", {k(Key::home), k(Key::end)});
    check("\x1b[1~\x1b[4~\x1b[7~\x1b[8~", {k(Key::home), k(Key::end), k(Key::home), k(Key::end)});
}

TEST(InputDecoder, EditingAndPagingKeys) {
    check("\x1b[2~\x1b[3~\x1b[5~\x1b[6~",
          {k(Key::insert), k(Key::del), k(Key::page_up), k(Key::page_down)});
    check("\x1b[Z", {k(Key::back_tab)});
}

TEST(InputDecoder, Modifiers) {
    check("\x1b[1;5A", {k(Key::up, mod::ctrl)});
    check("\x1b[1;2B", {k(Key::down, mod::shift)});
    check("\x1b[1;3C", {k(Key::right, mod::alt)});
    check("\x1b[1;8D", {k(Key::left, mod::shift | mod::alt | mod::ctrl)});
    check("\x1b[5;5~", {k(Key::page_up, mod::ctrl)});
    check("\x1b[3;2~", {k(Key::del, mod::shift)});
    check("\x1b[1;6H", {k(Key::home, mod::shift | mod::ctrl)});
    check("\x1bO5C", {k(Key::right, mod::ctrl)});
    // rxvt spellings.
    check("\x1b[a\x1bOd", {k(Key::up, mod::shift), k(Key::left, mod::ctrl)});
    check("\x1b[5^\x1b[3$", {k(Key::page_up, mod::ctrl), k(Key::del, mod::shift)});
}

TEST(InputDecoder, FunctionKeys) {
    check("\x1bOP\x1bOQ\x1bOR\x1bOS", {k(Key::f1), k(Key::f2), k(Key::f3), k(Key::f4)});
    check("\x1b[11~\x1b[15~\x1b[17~\x1b[18~\x1b[19~\x1b[20~\x1b[21~\x1b[23~\x1b[24~",
          {k(Key::f1), k(Key::f5), k(Key::f6), k(Key::f7), k(Key::f8), k(Key::f9), k(Key::f10),
           k(Key::f11), k(Key::f12)});
    check("\x1b[1;2P\x1b[15;5~", {k(Key::f1, mod::shift), k(Key::f5, mod::ctrl)});
    check("\x1b[[A\x1b[[E", {k(Key::f1), k(Key::f5)});  // Linux console
}

// Esc typed just before another key arrives in the same read: both keys,
// never one swallowed into an Alt+key the UI has no use for.
TEST(InputDecoder, EscapeThenAKeyIsTwoKeys) {
    check("\x1b" "q", {k(Key::escape), ch('q')});
    check("\x1b" "a", {k(Key::escape), ch('a')});
    check("\x1b" "\xc3\xa9", {k(Key::escape), ch(0xE9)});
    check("\x1b\r", {k(Key::escape), k(Key::enter)});
    check("\x1b\x7f", {k(Key::escape), k(Key::backspace)});
    check("\x1b\x03", {k(Key::escape), ch('c', mod::ctrl)});
    check("\x1b/", {k(Key::escape), ch('/')});
    // Known sequences stay one key.
    check("\x1b[A\x1bOB", {k(Key::up), k(Key::down)});
    // The same when the bytes come in separate reads without a pause.
    InputDecoder d;
    EXPECT_TRUE(d.feed("\x1b").empty());
    expect_events(d.feed("q"), {k(Key::escape), ch('q')}, "split");
}

TEST(InputDecoder, LoneEscapeWaitsForFlush) {
    InputDecoder d;
    EXPECT_TRUE(d.feed("\x1b").empty());
    EXPECT_TRUE(d.has_pending());
    expect_events(d.flush_pending(), {k(Key::escape)}, "flush");
    EXPECT_FALSE(d.has_pending());
    EXPECT_TRUE(d.flush_pending().empty());
    // Two escapes: both are Escape, the second after the flush.
    expect_events(d.feed("\x1b\x1b"), {k(Key::escape)}, "double");
    expect_events(d.flush_pending(), {k(Key::escape)}, "double flush");
    // Escape, silence, then a key: two events, as without the silence.
    expect_events(d.feed("\x1b"), {}, "esc");
    expect_events(d.flush_pending(), {k(Key::escape)}, "esc flush");
    expect_events(d.feed("q"), {ch('q')}, "q");
}

TEST(InputDecoder, FlushResolvesPrefixes) {
    check("\x1b[", {k(Key::escape), ch('[')});
    check("\x1bO", {k(Key::escape), ch('O')});
    check("\x1b[1;", {});       // a cut-off sequence is dropped, not typed
    check("\xe4\xb8", {});      // a cut-off character likewise
    check("\x1bO\x03", {k(Key::escape), ch('O'), ch('c', mod::ctrl)});
}

TEST(InputDecoder, SgrMouse) {
    check("\x1b[<0;10;5M", {mouse(MouseAction::press, MouseButton::left, 9, 4)});
    check("\x1b[<0;10;5m", {mouse(MouseAction::release, MouseButton::left, 9, 4)});
    check("\x1b[<2;1;1M", {mouse(MouseAction::press, MouseButton::right, 0, 0)});
    check("\x1b[<1;3;4M", {mouse(MouseAction::press, MouseButton::middle, 2, 3)});
    check("\x1b[<32;11;5M", {mouse(MouseAction::drag, MouseButton::left, 10, 4)});
    check("\x1b[<64;7;8M", {mouse(MouseAction::wheel_up, MouseButton::none, 6, 7)});
    check("\x1b[<65;7;8M", {mouse(MouseAction::wheel_down, MouseButton::none, 6, 7)});
    check("\x1b[<16;2;2M", {mouse(MouseAction::press, MouseButton::left, 1, 1, mod::ctrl)});
    check("\x1b[<4;300;200M", {mouse(MouseAction::press, MouseButton::left, 299, 199, mod::shift)});
    // Five digits at most: the largest coordinate passes, six digits are garbage.
    check("\x1b[<0;99999;1M", {mouse(MouseAction::press, MouseButton::left, 99998, 0)});
    check("\x1b[<0;109510;5m" "a", {ch('a')});
    // Ignored: motion without a button, horizontal wheel, zero or missing
    // coordinates, extra buttons.
    check("\x1b[<35;1;1M\x1b[<66;1;1M\x1b[<0;0;1M\x1b[<0;1M\x1b[<128;1;1M", {});
}

TEST(InputDecoder, X10Mouse) {
    // ESC [ M, then button + 32, column + 32, row + 32 (1-based).
    check("\x1b[M !!", {mouse(MouseAction::press, MouseButton::left, 0, 0)});
    check("\x1b[M#*%", {mouse(MouseAction::release, MouseButton::none, 9, 4)});
    check("\x1b[M`++", {mouse(MouseAction::wheel_up, MouseButton::none, 10, 10)});
}

TEST(InputDecoder, RepliesAndUnknownSequencesAreSilent) {
    check("\x1b[?1;2c" "a", {ch('a')});        // device attributes reply
    check("\x1b[I\x1b[O" "b", {ch('b')});      // focus in / out
    check("\x1b[200~xy\x1b[201~", {ch('x'), ch('y')});  // paste marks
    check("\x1b[99~\x1b[1;5E\x1b[>0;1;2q", {});
    check("\x1b[1:2A" "c", {ch('c')});         // sub-parameters
    check("\x1b[12\x03", {ch('c', mod::ctrl)});  // broken off by a control byte
}

TEST(InputDecoder, OverlongCsiIsSkippedWithoutGrowing) {
    InputDecoder d;
    std::string seq = "\x1b[";
    std::vector<InputEvent> got;
    for (int i = 0; i < 10000; ++i) {
        auto part = d.feed("1;");
        got.insert(got.end(), part.begin(), part.end());
        ASSERT_LE(d.pending_size(), InputDecoder::kMaxPending);
        if (i == 0) {
            part = d.feed(seq);
            got.insert(got.end(), part.begin(), part.end());
        }
    }
    auto part = d.feed("Aq");  // final byte ends the skipped sequence
    got.insert(got.end(), part.begin(), part.end());
    // The "1;" typed before the ESC are keys; nothing of the long CSI is.
    expect_events(got, {ch('1'), ch(';'), ch('q')}, "overlong");
}

TEST(InputDecoder, HostileBytesStayBounded) {
    std::mt19937 rng(7);
    InputDecoder whole;
    InputDecoder pieces;
    std::string all;
    std::vector<InputEvent> a, b;
    for (int round = 0; round < 2000; ++round) {
        std::string chunk;
        const int n = static_cast<int>(rng() % 24);
        for (int i = 0; i < n; ++i) {
            static const char kBias[] = "\x1b[<;0123456789MmO~A\x80\xc3\xe4";
            chunk += (rng() % 3 == 0) ? static_cast<char>(rng() & 0xff)
                                      : kBias[rng() % (sizeof kBias - 1)];
        }
        all += chunk;
        auto part = pieces.feed(chunk);
        b.insert(b.end(), part.begin(), part.end());
        ASSERT_LE(pieces.pending_size(), InputDecoder::kMaxPending);
    }
    a = whole.feed(all);
    auto r1 = whole.flush_pending();
    auto r2 = pieces.flush_pending();
    a.insert(a.end(), r1.begin(), r1.end());
    b.insert(b.end(), r2.begin(), r2.end());
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_TRUE(same(a[i], b[i])) << i;
        EXPECT_LE(a[i].ch, 0x10FFFFu);
        EXPECT_GE(a[i].x, 0);
        EXPECT_GE(a[i].y, 0);
    }
    EXPECT_GT(a.size(), 1000u);
}

TEST(ClickTracker, DoubleClickOnSameCellWithinWindow) {
    ClickTracker t;
    InputEvent p = mouse(MouseAction::press, MouseButton::left, 4, 2);
    t.track(p, 1000);
    EXPECT_EQ(p.clicks, 1);
    InputEvent r = mouse(MouseAction::release, MouseButton::left, 4, 2);
    t.track(r, 1050);
    InputEvent p2 = p;
    t.track(p2, 1400);
    EXPECT_EQ(p2.clicks, 2);
    // A third press starts over.
    InputEvent p3 = p;
    t.track(p3, 1500);
    EXPECT_EQ(p3.clicks, 1);
}

TEST(ClickTracker, TooSlowOtherCellOtherButtonOrDrag) {
    ClickTracker t;
    InputEvent p = mouse(MouseAction::press, MouseButton::left, 4, 2);
    t.track(p, 0);
    InputEvent late = p;
    t.track(late, 401);
    EXPECT_EQ(late.clicks, 1);
    InputEvent moved = mouse(MouseAction::press, MouseButton::left, 5, 2);
    t.track(moved, 450);
    EXPECT_EQ(moved.clicks, 1);
    InputEvent right = mouse(MouseAction::press, MouseButton::right, 5, 2);
    t.track(right, 500);
    EXPECT_EQ(right.clicks, 1);
    InputEvent drag = mouse(MouseAction::drag, MouseButton::right, 6, 2);
    t.track(drag, 550);
    InputEvent again = right;
    t.track(again, 600);
    EXPECT_EQ(again.clicks, 1);
    InputEvent key = ch('x');
    t.track(key, 610);
    EXPECT_EQ(key.clicks, 1);
}

}  // namespace
}  // namespace sockeye::tui
