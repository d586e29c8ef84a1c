// What `sockeye --version` prints: our version, libpcap's, the build target.
#pragma once

#include <string>

namespace sockeye::app {

// "x86_64-linux-gnu", "aarch64-linux-musl", ... of this binary.
std::string build_target();
std::string version_text();

}  // namespace sockeye::app
