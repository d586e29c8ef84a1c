// Stopping a process the user picked in the UI (`K`, with --allow-kill).
// The pick comes from a snapshot up to a second old: the pid may have been
// reused since. So the process is pinned first (a pidfd), then checked to be
// the one shown (its comm and uid), and only then signalled through the
// pidfd, which can never reach a newer process with the same number.
#pragma once

#include <sys/types.h>

#include <string>

#include "core/result.hpp"
#include "snapshot/process_info.hpp"

namespace sockeye::host {

// SIGTERM or SIGKILL to `process`. Errors say what happened in one line:
// it has exited, the pid now belongs to another program, or this process
// may not signal it (another user's, without cap_kill).
core::Result<void> signal_process(const snapshot::ProcessInfo& process, int signal);

// The name and uid /proc/PID/status gives (for the check above; tests).
struct ProcessIdentity {
    std::string comm;
    uid_t uid = 0;
};
core::Result<ProcessIdentity> read_process_identity(pid_t pid);

}  // namespace sockeye::host
