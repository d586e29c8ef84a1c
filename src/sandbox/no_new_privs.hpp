// PR_SET_NO_NEW_PRIVS: exec can never grant privileges again (setuid bits,
// file capabilities); also what lets an unprivileged thread install Landlock
// and seccomp. Irreversible, inherited by threads created afterwards.
#pragma once

#include <string>

#include "core/result.hpp"

namespace sockeye::sandbox {

// Empty on success (verified with PR_GET_NO_NEW_PRIVS), else why not.
core::Result<void> set_no_new_privs();
bool no_new_privs_set();

}  // namespace sockeye::sandbox
