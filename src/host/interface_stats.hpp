// Per-interface kernel counters from SYS_ROOT/class/net/IF/statistics, with
// byte rates from the previous reading. The caller passes a monotonic time
// so rates are testable and never come from the wall clock.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "snapshot/snapshot.hpp"

namespace sockeye::host {

class InterfaceStatsReader {
public:
    explicit InterfaceStatsReader(std::string sys_root = "/sys");

    // Every interface, sorted by name. Rates are averages over the last
    // snapshot::kRateWindowNs, as the flows' are (shorter until that much has
    // been read); zero on the first reading of an interface, and when a
    // counter went backwards (reset).
    std::vector<snapshot::InterfaceStats> read(std::int64_t monotonic_ns);

private:
    struct Reading {
        std::int64_t at_ns = 0;
        std::uint64_t rx_bytes = 0;
        std::uint64_t tx_bytes = 0;
    };

    std::string root_;
    // Per interface, the readings of the last window, oldest first.
    std::unordered_map<std::string, std::deque<Reading>> readings_;
};

}  // namespace sockeye::host
