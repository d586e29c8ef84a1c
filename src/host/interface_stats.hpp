// Per-interface kernel counters from SYS_ROOT/class/net/IF/statistics, with
// byte rates from the previous reading. The caller passes a monotonic time
// so rates are testable and never come from the wall clock.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "snapshot/snapshot.hpp"

namespace sockeye::host {

class InterfaceStatsReader {
public:
    explicit InterfaceStatsReader(std::string sys_root = "/sys");

    // Every interface, sorted by name. Rates are zero on the first reading
    // of an interface, and when a counter went backwards (reset).
    std::vector<snapshot::InterfaceStats> read(std::int64_t monotonic_ns);

private:
    struct Previous {
        std::int64_t at_ns = 0;
        std::uint64_t rx_bytes = 0;
        std::uint64_t tx_bytes = 0;
    };

    std::string root_;
    std::unordered_map<std::string, Previous> previous_;
};

}  // namespace sockeye::host
