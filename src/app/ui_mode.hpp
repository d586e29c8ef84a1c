// The interactive mode: the terminal UI on the main thread, the pipeline on
// its packet thread, snapshots published at each refresh.
#pragma once

#include "app/session.hpp"
#include "app/settings.hpp"
#include "capture/packet_source.hpp"

namespace sockeye::app {

// Needs a terminal on stdin and stdout (the caller checks). Returns when the
// user quits (q, Ctrl+C, SIGTERM, SIGHUP); a capture error ends the UI and
// comes back in RunResult::error, printed after the terminal is restored.
RunResult run_ui(capture::PacketSource& source, const Settings& settings);

}  // namespace sockeye::app
