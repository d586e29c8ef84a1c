// The modes without a terminal UI: plain text (the live table redrawn in
// place, or the summary table at exit), --json and --headless. They watch
// the pipeline, then print its final snapshot and the exports' totals.
#pragma once

#include "app/cli.hpp"
#include "app/session.hpp"
#include "capture/packet_source.hpp"

namespace sockeye::app {

RunResult run_text(capture::PacketSource& source, const Options& options);

}  // namespace sockeye::app
