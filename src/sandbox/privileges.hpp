// Giving up root: switch to the user who ran sudo (SUDO_UID/SUDO_GID), else
// to `nobody`, while keeping the few capabilities the monitor still uses.
// /etc/passwd is parsed by hand: the static release binary has no NSS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sockeye::sandbox {

struct Account {
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
};

// The uid/gid of `name` in passwd(5) text; malformed lines are skipped.
std::optional<Account> find_account(std::string_view passwd_text, std::string_view name);

struct DropTarget {
    Account account;
    std::string why;  // "SUDO_UID=1000" or "nobody"
};

// Whom to become: SUDO_UID/SUDO_GID when both are set and name a non-root
// user, else `nobody` from passwd(5), else the conventional 65534.
DropTarget choose_target(const char* sudo_uid, const char* sudo_gid, std::string_view passwd_text);

// Reads /etc/passwd and the environment and calls choose_target().
DropTarget default_target();

// setgroups/setresgid/setresuid to `target` keeping `keep` capabilities
// across the switch (PR_SET_KEEPCAPS, then re-raised in the effective set;
// everything else, cap_setuid included, is gone afterwards). Uses the libc
// wrappers so every running thread changes ids. The error names the step
// that failed, coded by its errno.
core::Result<void> drop_root(const Account& target, std::uint64_t keep);

}  // namespace sockeye::sandbox
