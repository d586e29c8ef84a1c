// What `sockeye --version` prints: our version, libpcap's, the build target.
#pragma once

#include <string>

namespace sockeye::app {

// "x86_64-linux-gnu", "aarch64-linux-musl", ... of this binary.
std::string build_target();
// `ebpf`: false with --no-ebpf (the attribution line then skips the probe).
std::string version_text(bool ebpf = true);
// "attribution: eBPF (tracepoint ...)" or "attribution: userspace (<why>)".
std::string attribution_line(bool ebpf);

}  // namespace sockeye::app
