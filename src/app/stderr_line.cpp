#include "app/stderr_line.hpp"

#include <cstdio>

#include "core/printable_text.hpp"

namespace sockeye::app {

std::string stderr_line(std::string_view message) {
    return "sockeye: " + core::printable_text(message, core::ControlStyle::hex_escape) + "\n";
}

void print_stderr_line(std::string_view message) {
    const std::string line = stderr_line(message);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace sockeye::app
