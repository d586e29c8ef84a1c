// A seccomp-bpf allowlist of the system calls the running monitor makes,
// built by hand as classic BPF (no libseccomp in the static build).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <linux/filter.h>

#include "core/result.hpp"

namespace sockeye::sandbox {

enum class SeccompDefault {
    errno_eperm,   // anything else fails with EPERM: the monitor degrades, keeps running
    kill_process,  // --sandbox-strict: anything else kills the process
};

// The filter for this build's architecture (x86_64 or aarch64): wrong
// architecture -> default; socket() only for AF_INET/AF_INET6/AF_NETLINK;
// bind() only with a netlink-sized address; clone() only for threads; clone3 -> ENOSYS so libc falls back to clone;
// tgkill() only to this process; listed calls -> allow; everything else
// (execve, ptrace, kill, ...) -> default. `allow_kill` (--allow-kill: the UI
// may stop a process the user picked) adds kill(), pidfd_open() and
// pidfd_send_signal() and lifts the tgkill() check.
// Empty on other architectures.
std::vector<sock_filter> build_seccomp_filter(SeccompDefault fallback, bool allow_kill = false);

// The syscall numbers allowed outright (for tests and --version).
const std::vector<int>& seccomp_allowlist();

// True when seccomp filters can be installed here.
bool seccomp_supported();
std::string describe_seccomp();

// Installs the filter on every thread of the process (TSYNC). Needs
// no_new_privs or cap_sys_admin.
core::Result<void> apply_seccomp(SeccompDefault fallback, bool allow_kill = false);

}  // namespace sockeye::sandbox
