// sockeye's messages on stderr. They quote file names, export paths, the
// user's arguments and errors from libraries, any of which may hold control
// characters: those are shown as \xNN, never handed to the terminal.
#pragma once

#include <string>
#include <string_view>

namespace sockeye::app {

// "sockeye: MESSAGE\n" with MESSAGE passed through core::printable_text.
std::string stderr_line(std::string_view message);

// Writes stderr_line(message) to stderr.
void print_stderr_line(std::string_view message);

}  // namespace sockeye::app
