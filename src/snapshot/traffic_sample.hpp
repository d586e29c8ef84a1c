// Total traffic over one interval of packet time, for the UI's graph.
#pragma once

#include <cstdint>

namespace sockeye::snapshot {

struct TrafficSample {
    std::int64_t ts_ns = 0;  // packet time at the end of the interval
    double down = 0;         // bytes/s received (live) or sent by responders (files)
    double up = 0;           // bytes/s sent (live) or sent by initiators (files)
};

}  // namespace sockeye::snapshot
