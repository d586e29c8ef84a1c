#pragma once

#include "core/result.hpp"

namespace sockeye::app {

// The exit status for an error of this code (docs/ARCHITECTURE.md, "How
// errors travel"): 2 for the user's input, 1 for a failed capture or run.
int exit_status_for(core::ErrorCode code);
// Says `error` on stderr (one line) and returns its exit status.
int fail(const core::Error& error);

// The whole program behind main(): parse, open the source, run, report.
int cli_main(int argc, char** argv);

}  // namespace sockeye::app
