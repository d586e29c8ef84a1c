// One alert a rule of the config file raised ([[alert]] tables, evaluated
// by pipeline::AlertEngine on every snapshot): what the exports write and
// count, and what the terminal UI lists.
#pragma once

#include <cstdint>
#include <string>

#include "snapshot/flow_record.hpp"

namespace sockeye::snapshot {

struct Alert {
    std::uint64_t sequence = 0;  // 1, 2, 3... in the order raised in this run
    std::int64_t ts_ns = 0;      // packet time of the snapshot that raised it
    std::string rule;            // the rule's name
    // "new_destination", "new_ja4", "rate_above", "listening".
    std::string condition;
    // What was new or too high, one short text: the destination
    // ("example.com", "AS13335", "DE"), the JA4, the rate ("12.5 MB/s"),
    // the port ("tcp/8080").
    std::string detail;
    // The program it concerns ("" when the flow has no known process).
    std::string program;
    double rate = 0;  // rate_above: bytes per second measured
    // The flow that raised it; listening: its process and local address
    // and port (as source), nothing else.
    FlowRecord flow;
};

// How many of the latest alerts a snapshot carries.
inline constexpr std::size_t kRecentAlerts = 256;

}  // namespace sockeye::snapshot
