// The system clipboard through the terminal: OSC 52 ("ESC ] 52 ; c ; BASE64
// ESC \"), which xterm-likes, tmux (with set-clipboard on), and terminals
// over SSH honour. No helper program runs and nothing outside the terminal
// is touched, so the sandbox needs nothing for it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sockeye::tui {

// At most this many bytes of text are copied: some terminals drop longer
// sequences whole.
inline constexpr std::size_t kMaxClipboardBytes = 16 * 1024;

// Standard base64 (RFC 4648 §4), with padding.
std::string base64(std::string_view bytes);

// The sequence that puts `text` on the clipboard ("c"), its first
// kMaxClipboardBytes bytes (cut on a character's start).
std::string osc52_copy(std::string_view text);

}  // namespace sockeye::tui
