#pragma once

namespace sockeye::app {

// The whole program behind main(): parse, open the source, run, report.
int cli_main(int argc, char** argv);

}  // namespace sockeye::app
