// Traffic in fixed intervals of packet time, kept for the last N intervals.
// Counted per frame as it is processed, so the series follows the capture's
// own clock: a file replayed with --speed max draws the same graph as one
// replayed at its recorded pace, and an idle live link still moves on
// (advance() with the wall clock closes empty intervals).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "snapshot/traffic_sample.hpp"

namespace sockeye::flow {

class TrafficSeries {
public:
    TrafficSeries(std::int64_t interval_ns, std::size_t max_samples);

    // One frame of `bytes` at packet time `ts_ns`; `up`: sent by the flow's
    // source (the local side live, the initiator in files). Inline for the
    // frame inside the open interval, as nearly every one is.
    void add(std::int64_t ts_ns, std::uint64_t bytes, bool up) {
        if (!started_ || ts_ns >= end_ns_) [[unlikely]] start_or_advance(ts_ns);
        (up ? up_bytes_ : down_bytes_) += bytes;
    }
    // Closes every interval that ended by `now_ns` (empty ones included).
    void advance(std::int64_t now_ns);

    // The closed intervals, oldest first.
    [[nodiscard]] std::vector<snapshot::TrafficSample> samples() const;
    [[nodiscard]] std::int64_t interval_ns() const { return interval_ns_; }

private:
    void close_current();
    void start_or_advance(std::int64_t ts_ns);

    std::int64_t interval_ns_;
    std::size_t max_samples_;
    bool started_ = false;
    std::int64_t end_ns_ = 0;  // end of the open interval
    std::uint64_t down_bytes_ = 0, up_bytes_ = 0;
    std::deque<snapshot::TrafficSample> closed_;
};

}  // namespace sockeye::flow
