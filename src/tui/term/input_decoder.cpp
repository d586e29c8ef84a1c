#include "tui/term/input_decoder.hpp"

#include <array>

namespace sockeye::tui {
namespace {

constexpr unsigned char kEsc = 0x1b;

enum class Status : std::uint8_t {
    event,       // `event` is complete; `consumed` bytes used
    skip,        // `consumed` bytes mean nothing to us (unknown or malformed)
    incomplete,  // the bytes so far may start a sequence: wait for more
    overlong,    // a CSI past kMaxSequence: `consumed` dropped, skip to its end
};

struct Step {
    Status status = Status::skip;
    std::size_t consumed = 1;
    InputEvent event{};
};

unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

Step key(Key k, std::size_t consumed, std::uint8_t mods = 0) {
    Step st{Status::event, consumed, {}};
    st.event.key = k;
    st.event.modifiers = mods;
    return st;
}

Step character(char32_t c, std::size_t consumed, std::uint8_t mods = 0) {
    Step st = key(Key::character, consumed, mods);
    st.event.ch = c;
    return st;
}

Step skip(std::size_t consumed) { return {Status::skip, consumed, {}}; }
Step incomplete() { return {Status::incomplete, 0, {}}; }

// xterm's modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4 | meta 8).
std::uint8_t modifiers_from(int param) {
    if (param < 2 || param > 16) return 0;
    const int bits = param - 1;
    std::uint8_t mods = 0;
    if ((bits & 1) != 0) mods |= mod::shift;
    if ((bits & (2 | 8)) != 0) mods |= mod::alt;
    if ((bits & 4) != 0) mods |= mod::ctrl;
    return mods;
}

// --- plain bytes: controls, ASCII, UTF-8 ---------------------------------

Step parse_utf8(std::string_view s, bool at_end) {
    const unsigned char b0 = byte_at(s, 0);
    std::size_t len = 0;
    char32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        cp = b0 & 0x07u;
    } else {
        return skip(1);  // a stray continuation byte or an invalid lead
    }
    for (std::size_t k = 1; k < len; ++k) {
        if (k >= s.size()) return at_end ? skip(k) : incomplete();
        const unsigned char b = byte_at(s, k);
        if ((b & 0xC0) != 0x80) return skip(k);
        cp = (cp << 6) | (b & 0x3Fu);
    }
    static constexpr std::array<char32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return skip(len);
    if (cp < 0xA0) return skip(len);  // C1 controls: not keys
    return character(cp, len);
}

Step parse_plain(std::string_view s, bool at_end) {
    const unsigned char b = byte_at(s, 0);
    switch (b) {
        case '\r':
        case '\n':
            return key(Key::enter, 1);
        case '\t':
            return key(Key::tab, 1);
        case 0x7f:
        case 0x08:
            return key(Key::backspace, 1);
        case 0x00:
            return character(U' ', 1, mod::ctrl);  // Ctrl+Space
        default:
            break;
    }
    if (b >= 0x01 && b <= 0x1a) return character(U'a' + (b - 1u), 1, mod::ctrl);
    if (b >= 0x1c && b <= 0x1f) return character(b + 0x40u, 1, mod::ctrl);  // Ctrl+\ ] ^ _
    if (b >= 0x20 && b < 0x7f) return character(b, 1);
    return parse_utf8(s, at_end);
}

// --- CSI -------------------------------------------------------------------

struct Params {
    char prefix = 0;  // '<', '=', '>' or '?' before the numbers
    std::array<int, 4> value{};
    int count = 0;
    bool bad = false;  // not a list of plain decimal numbers
};

Params parse_params(std::string_view p) {
    Params out;
    std::size_t i = 0;
    if (!p.empty() && p[0] >= '<' && p[0] <= '?') out.prefix = p[i++];
    if (i == p.size()) return out;
    int field = 0;
    int value = 0;
    for (; i <= p.size(); ++i) {
        if (i == p.size() || p[i] == ';') {
            if (field < static_cast<int>(out.value.size()))
                out.value[static_cast<std::size_t>(field)] = value;
            ++field;
            value = 0;
            continue;
        }
        // At most 99999 (no terminal is that large; longer runs of digits
        // are garbage). Checked before this digit is added: past 9999 it
        // would make six.
        if (p[i] < '0' || p[i] > '9' || value > 9999) {
            out.bad = true;
            return out;
        }
        value = value * 10 + (p[i] - '0');
    }
    out.count = field;
    return out;
}

int param(const Params& p, int i, int fallback) {
    return i < p.count && i < static_cast<int>(p.value.size())
               ? (p.value[static_cast<std::size_t>(i)] == 0 ? fallback
                                                            : p.value[static_cast<std::size_t>(i)])
               : fallback;
}

Step mouse_event(std::size_t consumed, int cb, int x, int y, bool release) {
    if (x < 1 || y < 1) return skip(consumed);
    Step st{Status::event, consumed, {}};
    InputEvent& ev = st.event;
    ev.kind = InputEvent::Kind::mouse;
    ev.x = x - 1;
    ev.y = y - 1;
    if ((cb & 4) != 0) ev.modifiers |= mod::shift;
    if ((cb & 8) != 0) ev.modifiers |= mod::alt;
    if ((cb & 16) != 0) ev.modifiers |= mod::ctrl;
    const int low = cb & 3;
    if ((cb & 128) != 0) return skip(consumed);  // buttons 8-11
    if ((cb & 64) != 0) {
        if (release || low > 1) return skip(consumed);  // horizontal wheel
        ev.mouse = low == 0 ? MouseAction::wheel_up : MouseAction::wheel_down;
        return st;
    }
    static constexpr std::array<MouseButton, 4> kButtons = {MouseButton::left, MouseButton::middle,
                                                            MouseButton::right, MouseButton::none};
    ev.button = kButtons[static_cast<std::size_t>(low)];
    if ((cb & 32) != 0) {
        if (ev.button == MouseButton::none) return skip(consumed);  // motion, no button
        ev.mouse = MouseAction::drag;
    } else if (release || ev.button == MouseButton::none) {
        ev.mouse = MouseAction::release;  // X10 reports a release as button 3
    } else {
        ev.mouse = MouseAction::press;
    }
    return st;
}

Key tilde_key(int n) {
    switch (n) {
        case 1: case 7: return Key::home;
        case 2: return Key::insert;
        case 3: return Key::del;
        case 4: case 8: return Key::end;
        case 5: return Key::page_up;
        case 6: return Key::page_down;
        case 11: return Key::f1;
        case 12: return Key::f2;
        case 13: return Key::f3;
        case 14: return Key::f4;
        case 15: return Key::f5;
        case 17: return Key::f6;
        case 18: return Key::f7;
        case 19: return Key::f8;
        case 20: return Key::f9;
        case 21: return Key::f10;
        case 23: return Key::f11;
        case 24: return Key::f12;
        default: return Key::none;
    }
}

// Arrows, Home/End and F1-F4 share their final letters in CSI and SS3.
Key letter_key(char f) {
    switch (f) {
        case 'A': return Key::up;
        case 'B': return Key::down;
        case 'C': return Key::right;
        case 'D': return Key::left;
        case 'H': return Key::home;
        case 'F': return Key::end;
        case 'P': return Key::f1;
        case 'Q': return Key::f2;
        case 'R': return Key::f3;
        case 'S': return Key::f4;
        default: return Key::none;
    }
}

Step csi_key(std::size_t consumed, const Params& p, char final_byte) {
    if (p.bad || p.prefix != 0) return skip(consumed);  // replies to queries, not keys
    if (final_byte == 'Z') return key(Key::back_tab, consumed);
    if (final_byte >= 'a' && final_byte <= 'd' && p.count == 0)  // rxvt Shift+arrow
        return key(letter_key(static_cast<char>(final_byte - 'a' + 'A')), consumed, mod::shift);
    if (final_byte == '~' || final_byte == '^' || final_byte == '$' || final_byte == '@') {
        const Key k = tilde_key(param(p, 0, 0));
        if (k == Key::none) return skip(consumed);  // 200~/201~ paste marks, unknown
        std::uint8_t mods = modifiers_from(param(p, 1, 1));
        if (final_byte == '^' || final_byte == '@') mods |= mod::ctrl;  // rxvt
        if (final_byte == '$' || final_byte == '@') mods |= mod::shift;
        return key(k, consumed, mods);
    }
    const Key k = letter_key(final_byte);
    if (k == Key::none) return skip(consumed);  // focus reports, keypad 5, ...
    return key(k, consumed, modifiers_from(param(p, 1, 1)));
}

Step parse_csi(std::string_view s, bool at_end) {
    // s starts with ESC [
    if (s.size() == 2) return at_end ? key(Key::escape, 1) : incomplete();  // Esc, then [
    if (s[2] == '[') {  // Linux console F1-F5: ESC [ [ A..E
        if (s.size() == 3) return at_end ? skip(3) : incomplete();
        if (s[3] >= 'A' && s[3] <= 'E')
            return key(static_cast<Key>(static_cast<int>(Key::f1) + (s[3] - 'A')), 4);
        return skip(3);
    }
    std::size_t i = 2;
    // rxvt ends some keys with '$', which the grammar calls an intermediate:
    // it is the final byte when it follows plain digits.
    while (i < s.size()) {
        const unsigned char b = byte_at(s, i);
        if (b == '$' && i > 2 && s[2] >= '0' && s[2] <= '9') break;
        if (b < 0x20 || b > 0x3f) break;
        if (i >= InputDecoder::kMaxSequence) return {Status::overlong, i, {}};
        ++i;
    }
    if (i == s.size()) return at_end ? skip(i) : incomplete();
    const unsigned char f = byte_at(s, i);
    if (f != '$' && (f < 0x40 || f > 0x7e)) return skip(i);  // broken off by a control byte
    const std::string_view params = s.substr(2, i - 2);
    const std::size_t consumed = i + 1;

    if (f == 'M' && params.empty()) {  // X10 mouse: ESC [ M b x y, coordinates + 32
        if (s.size() < consumed + 3) return at_end ? skip(s.size()) : incomplete();
        const int cb = byte_at(s, consumed) - 32;
        const int x = byte_at(s, consumed + 1) - 32;
        const int y = byte_at(s, consumed + 2) - 32;
        if (cb < 0) return skip(consumed + 3);
        return mouse_event(consumed + 3, cb, x, y, false);
    }
    const Params p = parse_params(params);
    if (p.prefix == '<' && (f == 'M' || f == 'm')) {  // SGR mouse
        if (p.bad || p.count != 3) return skip(consumed);
        return mouse_event(consumed, p.value[0], p.value[1], p.value[2], f == 'm');
    }
    return csi_key(consumed, p, static_cast<char>(f));
}

// --- SS3 -------------------------------------------------------------------

Step ss3_final(std::size_t consumed, char f, std::uint8_t mods) {
    const Key k = letter_key(f);
    if (k != Key::none) return key(k, consumed, mods);
    if (f == 'M') return key(Key::enter, consumed, mods);  // keypad Enter
    if (f >= 'a' && f <= 'd')  // rxvt Ctrl+arrow
        return key(letter_key(static_cast<char>(f - 'a' + 'A')), consumed, mod::ctrl);
    static constexpr std::string_view kKeypad = "*+,-./0123456789";  // ESC O j .. y
    if (f >= 'j' && f <= 'y') return character(static_cast<char32_t>(kKeypad[static_cast<std::size_t>(f - 'j')]), consumed, mods);
    if (f == 'X') return character(U'=', consumed, mods);
    return skip(consumed);
}

Step parse_ss3(std::string_view s, bool at_end) {
    // s starts with ESC O; some terminals put a modifier digit in between.
    if (s.size() == 2) return at_end ? key(Key::escape, 1) : incomplete();  // Esc, then O
    std::size_t i = 2;
    int modifier = 0;
    while (i < s.size() && i < 6 && s[i] >= '0' && s[i] <= '9') {
        modifier = modifier * 10 + (s[i] - '0');
        ++i;
    }
    if (i == s.size()) return at_end ? skip(i) : incomplete();
    const unsigned char f = byte_at(s, i);
    if (f < 0x40 || f > 0x7e) {
        // Not SS3 after all: Esc, then O and whatever follows on their own.
        return i == 2 ? key(Key::escape, 1) : skip(i);
    }
    return ss3_final(i + 1, static_cast<char>(f), modifiers_from(modifier));
}

Step parse_one(std::string_view s, bool at_end) {
    if (byte_at(s, 0) != kEsc) return parse_plain(s, at_end);
    if (s.size() == 1) return at_end ? key(Key::escape, 1) : incomplete();
    const unsigned char b1 = byte_at(s, 1);
    if (b1 == '[') return parse_csi(s, at_end);
    if (b1 == 'O') return parse_ss3(s, at_end);
    // ESC then anything that starts no sequence is Esc, then that key on its
    // own: Esc typed quickly before a key (Esc q) must not vanish, and
    // nothing in the UI uses Alt+key, which terminals send the same way.
    return key(Key::escape, 1);
}

}  // namespace

void InputDecoder::decode(std::string_view s, bool at_end, std::vector<InputEvent>& out) {
    std::size_t pos = 0;
    while (pos < s.size()) {
        if (skipping_csi_) {
            const unsigned char b = byte_at(s, pos);
            if (b >= 0x20 && b <= 0x3f) {
                ++pos;
                continue;
            }
            skipping_csi_ = false;
            if (b >= 0x40 && b <= 0x7e) ++pos;
            continue;
        }
        const Step st = parse_one(s.substr(pos), at_end);
        if (st.status == Status::incomplete) break;
        if (st.status == Status::event) out.push_back(st.event);
        if (st.status == Status::overlong) skipping_csi_ = true;
        pos += st.consumed;
    }
    // Only an unfinished sequence is left, and parse_one bounds those.
    pending_.assign(s.substr(pos, std::min(s.size() - pos, kMaxPending)));
}

std::vector<InputEvent> InputDecoder::feed(std::string_view bytes) {
    std::vector<InputEvent> out;
    if (pending_.empty()) {
        decode(bytes, false, out);
    } else {
        std::string work = pending_;
        work.append(bytes);
        decode(work, false, out);
    }
    return out;
}

std::vector<InputEvent> InputDecoder::feed(std::span<const std::uint8_t> bytes) {
    std::string_view view;
    if (!bytes.empty())
        view = std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return feed(view);
}

std::vector<InputEvent> InputDecoder::flush_pending() {
    std::vector<InputEvent> out;
    if (pending_.empty()) return out;
    const std::string work = pending_;
    decode(work, true, out);
    return out;
}

void ClickTracker::track(InputEvent& event, std::int64_t now_ms) {
    if (event.kind != InputEvent::Kind::mouse) return;
    if (event.mouse == MouseAction::drag) {
        has_last_ = false;
        return;
    }
    if (event.mouse != MouseAction::press) return;
    const bool again = has_last_ && event.x == x_ && event.y == y_ && event.button == button_ &&
                       now_ms >= time_ms_ && now_ms - time_ms_ <= kWindowMs;
    if (again) {
        event.clicks = 2;
        has_last_ = false;
        return;
    }
    event.clicks = 1;
    has_last_ = true;
    x_ = event.x;
    y_ = event.y;
    button_ = event.button;
    time_ms_ = now_ms;
}

}  // namespace sockeye::tui
