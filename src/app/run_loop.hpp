// Drives an Engine from a PacketSource until the source ends, a limit is
// reached or the user interrupts, then writes the requested output.
#pragma once

#include <string>

#include "app/cli.hpp"
#include "capture/packet_source.hpp"

namespace sockeye::app {

struct RunResult {
    std::string error;         // empty on success; output was still written
    bool export_loss = false;  // an export lost records (export_lost_records)
};

RunResult run(capture::PacketSource& source, const Options& options);

}  // namespace sockeye::app
