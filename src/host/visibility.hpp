// What process attribution can see from here, in plain sentences for the UI:
// without root or both cap_dac_read_search and cap_sys_ptrace, other users'
// sockets have no owner. Opening another user's /proc/PID/fd (mode 0500)
// takes cap_dac_read_search; reading its links (the socket inodes) takes a
// ptrace read check, which only cap_sys_ptrace passes. Either alone sees nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockeye::host {

inline constexpr unsigned kCapDacReadSearch = 2;
inline constexpr unsigned kCapNetAdmin = 12;
inline constexpr unsigned kCapNetRaw = 13;
inline constexpr unsigned kCapSysPtrace = 19;

struct Privileges {
    std::uint32_t euid = 0;
    std::uint64_t effective_caps = 0;  // CapEff bits
    [[nodiscard]] bool has(unsigned cap) const { return ((effective_caps >> cap) & 1u) != 0; }
    [[nodiscard]] bool can_read_other_fds() const {
        return has(kCapSysPtrace) && has(kCapDacReadSearch);
    }
};

// From the text of /proc/self/status (Uid: and CapEff: lines); nullopt when
// either is missing or malformed.
std::optional<Privileges> parse_privileges(std::string_view status);
// This process's privileges, from PROC_ROOT/self/status.
std::optional<Privileges> read_privileges(const std::string& proc_root);

// Tries to read a socket link in the fd directory of one process owned by
// another user (opening the directory alone can succeed where the links fail).
// true/false: readable or not; nullopt: no other user's process to try.
std::optional<bool> probe_other_users_fds(const std::string& proc_root, std::uint32_t euid);

struct VisibilityFacts {
    std::optional<Privileges> privileges;
    std::optional<bool> other_fds_readable;  // from the probe
    int sock_diag_error = 0;                 // errno when the netlink socket failed to open
    std::size_t unreadable_pids = 0;         // processes whose fds could not be read
    std::uint64_t dropped_requests = 0;      // lookups dropped on a full queue
};

// One sentence per limitation; empty when attribution sees everything.
std::vector<std::string> describe_limitations(const VisibilityFacts& facts);

}  // namespace sockeye::host
