// Landlock (raw syscalls 444-446): after start-up the monitor may read /proc,
// /sys, its config and a few files in /etc, write only the export paths the
// user named, and (ABI >= 4) make no TCP connection but to DNS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/unique_fd.hpp"

namespace sockeye::sandbox {

// Highest Landlock ABI the kernel offers; <= 0 is -errno (ENOSYS: not built
// in, EOPNOTSUPP: built in but not enabled at boot).
int landlock_abi();
// "ABI 7 (files, TCP ports, scopes)" or why there is none.
std::string describe_landlock();

struct LandlockPolicy {
    std::vector<std::string> read_only;   // files or directories (missing ones are skipped)
    // Export paths: a directory (anything beneath it) or a file. A file that
    // does not exist yet is created empty so the rule covers exactly it;
    // exporters then write it in place (name a directory for temp+rename).
    std::vector<std::string> read_write;
    std::vector<std::uint16_t> tcp_connect_ports;  // ABI >= 4; empty: no TCP connect at all
    std::vector<std::uint16_t> tcp_bind_ports;     // ABI >= 4; empty: no TCP bind at all
    // ABI >= 6 scopes signals to the domain; --allow-kill must reach the
    // process the user picked, so signals stay unscoped then.
    bool signals_outside = false;
};

// What sockeye itself reads: /proc, /sys, passwd/group, resolver files,
// time zones, and `config_path` when given.
LandlockPolicy monitor_policy(const std::string& config_path,
                              const std::vector<std::string>& write_paths, bool reverse_dns);

// What a ruleset covers on this kernel.
struct LandlockStatus {
    int abi = 0;
    bool network = false;              // TCP bind/connect are handled (ABI >= 4)
    bool scoped = false;               // abstract unix sockets and signals scoped (ABI >= 6)
    std::vector<std::string> skipped;  // policy paths that did not exist
};

// A ruleset built but not yet in force. Built while still root, its rules
// hold O_PATH handles of paths the unprivileged user may not reach (an
// export file in root's 0700 home), and a missing export file is created by
// root, as the exporters would have.
struct PreparedLandlock {
    LandlockStatus status;
    std::optional<core::Error> error;  // set: nothing to restrict (restrict_landlock reports it)
    core::UniqueFd ruleset;
};

// Creates the ruleset and adds the policy's rules (any privileges).
PreparedLandlock prepare_landlock(const LandlockPolicy& policy);
// Restricts the calling thread (and threads it creates later) and closes
// the ruleset. Needs no_new_privs or cap_sys_admin.
core::Result<LandlockStatus> restrict_landlock(PreparedLandlock& prepared);

// Both at once.
core::Result<LandlockStatus> apply_landlock(const LandlockPolicy& policy);

}  // namespace sockeye::sandbox
