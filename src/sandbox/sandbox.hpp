// Least privilege after start-up: once the capture handle, the sock_diag
// socket, the resolver and the terminal are open, sockeye gives up what it
// no longer needs, in this order: capabilities -> root -> no_new_privs ->
// Landlock -> seccomp. Each layer is irreversible. (Landlock's ruleset is
// built first, while still root, so paths only root can reach are covered;
// it takes effect in its turn.) The app's wiring: src/app/sandbox_setup.hpp.
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
    // --allow-kill: the UI may signal a process the user picked, so the
    // main thread keeps cap_kill and seccomp allows kill() and pidfds.
    bool allow_kill = false;
    // Landlock (ABI >= 4) TCP rules: everything else is refused. Ports
    // connected to after start-up (DNS over TCP for a --dns-server port, an
    // IPFIX collector over TCP that reconnects) and bound after start-up.
    // A socket bound or connected before apply() keeps working (accept(),
    // send()); only new bind()/connect() calls are checked. With reverse_dns
    // port 53 is always allowed.
    std::vector<std::uint16_t> tcp_connect_ports;
    std::vector<std::uint16_t> tcp_bind_ports;
};

// The five layers, in the order apply() takes them.
inline constexpr int kLayerCount = 5;

struct LayerState {
    std::string name;  // "capabilities", "root", "no_new_privs", "landlock", "seccomp"
    std::string brief; // short form for status lines: "uid 1000", "landlock ABI 6", ...
    bool enforced = false;
};

struct SandboxReport {
    std::vector<std::string> enforced;      // one line per layer, e.g. "seccomp: 131 syscalls"
    std::vector<std::string> not_enforced;  // one line per gap, with the reason
    std::vector<LayerState> layers;         // one per layer, in order (empty: not applied)
    [[nodiscard]] bool fully_enforced() const { return not_enforced.empty(); }
    // Layers fully enforced (a layer with any gap line does not count).
    [[nodiscard]] int layers_enforced() const;
    // "5/5 layers (capabilities, uid 1000, no_new_privs, landlock ABI 6,
    // seccomp)": the layers fully enforced.
    [[nodiscard]] std::string layers_text() const;
    // layers_text(), and with gaps "; not enforced: <gap>; <gap>".
    [[nodiscard]] std::string summary() const;
};

// Capabilities the monitor still uses after start-up (cap_kill only with
// allow_kill).
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
