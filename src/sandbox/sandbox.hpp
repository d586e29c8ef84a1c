// Least privilege after start-up: once the capture handle, the sock_diag
// socket, the resolver and the terminal are open, sockeye gives up what it
// no longer needs, in this order: capabilities -> root -> no_new_privs ->
// Landlock -> seccomp. Each layer is irreversible.
//
// Call apply() from the main thread BEFORE starting other threads:
// capabilities, Landlock and no_new_privs belong to the calling thread and
// are inherited only by threads created afterwards (seccomp alone is
// synchronised to running threads). apply() reports extra threads as a gap.
//
// Landlock and process attribution do not mix: a thread inside a Landlock
// domain fails the ptrace access check on every process outside it, so it
// can no longer readlink /proc/PID/fd/N (EACCES, even with cap_sys_ptrace).
// The attribution thread is therefore started by `start_unconfined`, after
// capabilities, root and no_new_privs are gone and before Landlock: it keeps
// the kept capabilities, runs as the unprivileged user, gets the seccomp
// filter (TSYNC), but no Landlock ruleset.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sockeye::sandbox {

struct SandboxRequest {
    bool attribution = false;  // process attribution runs (sock_diag, other users' /proc)
    bool reverse_dns = false;  // c-ares may open DNS sockets and read the resolver files
    std::vector<std::string> write_paths;  // export files or directories the user named
    std::string config_path;               // read-only; empty: none
    bool strict = false;  // seccomp kills on a forbidden call; the caller exits unless all enforced
    std::uint16_t dns_tcp_port = 53;  // Landlock TCP connect rule when reverse_dns
};

struct SandboxReport {
    std::vector<std::string> enforced;      // one line per layer, e.g. "seccomp: 131 syscalls"
    std::vector<std::string> not_enforced;  // one line per gap, with the reason
    [[nodiscard]] bool fully_enforced() const { return not_enforced.empty(); }
};

// Capabilities the monitor still uses after start-up.
std::uint64_t needed_capabilities(const SandboxRequest& request);

// Applies every layer it can; never aborts: a failing layer becomes a line in
// not_enforced and the next layer still runs. With request.strict the caller
// should exit when !fully_enforced().
// `start_unconfined` runs between no_new_privs and Landlock (see above).
// With request.attribution and no `start_unconfined`, Landlock is skipped
// (and reported) rather than silently blinding attribution.
SandboxReport apply(const SandboxRequest& request,
                    const std::function<void()>& start_unconfined = {});

// What this kernel and process support, one line for --version.
std::string describe_support();

}  // namespace sockeye::sandbox
