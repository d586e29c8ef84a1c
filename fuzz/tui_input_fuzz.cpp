// Fuzz target for the terminal input decoder. The bytes are fed twice: in
// one piece, and in pieces whose sizes come from the input itself (with
// flushes where a piece size says so). Both must give the same events when
// no flush falls in between, the pending bytes must stay bounded, and every
// event must be well formed. A ClickTracker sees the mouse events.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "tui/term/input_decoder.hpp"

namespace {

using sockeye::tui::InputDecoder;
using sockeye::tui::InputEvent;

void check(bool condition) {
    if (!condition) std::abort();
}

bool same(const InputEvent& a, const InputEvent& b) {
    return a.kind == b.kind && a.key == b.key && a.ch == b.ch && a.modifiers == b.modifiers &&
           a.mouse == b.mouse && a.button == b.button && a.x == b.x && a.y == b.y;
}

void check_event(const InputEvent& e) {
    check(e.ch <= 0x10FFFF);
    check(e.key <= sockeye::tui::Key::f12);
    check(e.mouse <= sockeye::tui::MouseAction::wheel_down);
    check(e.x >= 0 && e.y >= 0 && e.x < 100000 && e.y < 100000);
    check(e.modifiers <= 7);
    if (e.key == sockeye::tui::Key::character) check(e.ch >= 0x20 || e.ch == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // First byte: bit 7 = flush between pieces, low bits = piece size.
    const bool flush_between = (data[0] & 0x80) != 0;
    const std::size_t piece = (data[0] & 0x0f) + 1u;
    const std::span<const std::uint8_t> bytes(data + 1, size - 1);

    InputDecoder whole;
    std::vector<InputEvent> a = whole.feed(bytes);
    check(whole.pending_size() <= InputDecoder::kMaxPending);
    for (const InputEvent& e : whole.flush_pending()) a.push_back(e);
    check(!whole.has_pending());

    InputDecoder split;
    std::vector<InputEvent> b;
    sockeye::tui::ClickTracker clicks;
    std::int64_t now = 0;
    for (std::size_t off = 0; off < bytes.size(); off += piece) {
        const std::size_t n = std::min(piece, bytes.size() - off);
        for (InputEvent e : split.feed(bytes.subspan(off, n))) {
            check_event(e);
            b.push_back(e);
            clicks.track(e, now += 50);
            check(e.clicks == 1 || e.clicks == 2);
        }
        check(split.pending_size() <= InputDecoder::kMaxPending);
        if (flush_between)
            for (const InputEvent& e : split.flush_pending()) b.push_back(e);
    }
    for (const InputEvent& e : split.flush_pending()) b.push_back(e);

    if (!flush_between) {
        check(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) check(same(a[i], b[i]));
    }
    return 0;
}
