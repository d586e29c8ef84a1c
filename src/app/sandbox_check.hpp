// --sandbox-check: after the normal start-up (capture open, sandbox applied,
// threads started) the process probes its own confinement and prints one
// line per probe, so tests and users see what the sandbox blocks here:
//
//   sandbox-check: read /etc/shadow: blocked (EACCES: Permission denied)
//   sandbox-check: write export /tmp/x/events.jsonl: allowed
//
// The probes are harmless either way: files created outside the export
// paths are removed, exec is tried in a forked child (or, when fork itself
// is refused, execve of /bin/true is refused too: seccomp lists neither).
#pragma once

#include <string>
#include <vector>

#include "core/unique_fd.hpp"

namespace sockeye::app {

class SandboxProbes {
public:
    // Before the sandbox: a TCP listener on loopback, as --metrics would have,
    // for the accept and connect probes.
    SandboxProbes();

    // After the sandbox, on the thread that runs the packets. `write_paths`:
    // the export files of the run. `strict`: seccomp kills instead of
    // refusing, so the probes that seccomp would refuse are not tried.
    // Returns the probe lines (each ends in '\n').
    [[nodiscard]] std::string run(const std::vector<std::string>& write_paths, bool strict) const;

private:
    core::UniqueFd listener_;
    int port_ = 0;
};

// One probe line: "sandbox-check: WHAT: allowed" or "...: blocked (ENAME: text)".
std::string probe_line(const std::string& what, int error);

}  // namespace sockeye::app
