// Terminal input bytes to InputEvents, incrementally: a read may end inside
// an escape sequence or a UTF-8 character, and the rest comes with the next
// read. A lone ESC cannot be told from the start of a sequence until time
// passes, so the main loop calls flush_pending() after ~25 ms without input.
//
// Input is untrusted (anything can be typed or pasted): the decoder never
// keeps more than kMaxPending bytes, drops what it does not understand, and
// does a bounded amount of work per byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tui/term/input_event.hpp"

namespace sockeye::tui {

class InputDecoder {
public:
    // Longest escape sequence kept whole; a longer CSI is skipped to its end.
    static constexpr std::size_t kMaxSequence = 64;
    static constexpr std::size_t kMaxPending = kMaxSequence;

    // Decodes `bytes` after whatever was pending; returns the complete events.
    std::vector<InputEvent> feed(std::string_view bytes);
    std::vector<InputEvent> feed(std::span<const std::uint8_t> bytes);
    // No more bytes are coming soon: a pending lone ESC is Key::escape,
    // ESC [ and ESC O are Escape then '[' or 'O', other fragments are dropped.
    // ESC followed by a byte that starts no sequence is always Escape and
    // then that key (there is no Alt+key).
    std::vector<InputEvent> flush_pending();
    // Whether bytes wait for the rest of a sequence (the loop then polls
    // with a short timeout and calls flush_pending() when it expires).
    [[nodiscard]] bool has_pending() const { return !pending_.empty(); }
    [[nodiscard]] std::size_t pending_size() const { return pending_.size(); }

private:
    void decode(std::string_view bytes, bool at_end, std::vector<InputEvent>& out);

    std::string pending_;
    bool skipping_csi_ = false;  // inside an over-long CSI: drop to its final byte
};

// Turns a second press of the same button on the same cell within
// kWindowMs into a double click (clicks = 2). A third press starts over.
class ClickTracker {
public:
    static constexpr std::int64_t kWindowMs = 400;

    // `now_ms`: a monotonic clock. Only mouse presses are counted; a drag
    // forgets the last press.
    void track(InputEvent& event, std::int64_t now_ms);

private:
    bool has_last_ = false;
    int x_ = 0, y_ = 0;
    MouseButton button_ = MouseButton::none;
    std::int64_t time_ms_ = 0;
};

}  // namespace sockeye::tui
