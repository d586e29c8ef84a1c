// LeakSanitizer and the sandbox do not mix: LSan's exit-time check stops
// every thread with ptrace from a helper clone, which seccomp, the uid switch
// (a process that changed uid is no longer dumpable) and no_new_privs refuse;
// LSan then aborts the run with "LeakSanitizer has encountered a fatal error"
// and exit code 1. In sanitizer builds a process that entered the sandbox
// therefore skips the final leak check; runs with --no-sandbox, the unit
// tests and the fuzz replayers keep it. Release builds carry none of this.
#pragma once

namespace sockeye::sandbox {

// Called by apply() before the first layer goes on.
void note_sandbox_entered();

}  // namespace sockeye::sandbox
