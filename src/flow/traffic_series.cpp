#include "flow/traffic_series.hpp"

namespace sockeye::flow {

TrafficSeries::TrafficSeries(std::int64_t interval_ns, std::size_t max_samples)
    : interval_ns_(interval_ns > 0 ? interval_ns : 1'000'000'000),
      max_samples_(max_samples > 0 ? max_samples : 1) {}

void TrafficSeries::close_current() {
    const double seconds = static_cast<double>(interval_ns_) / 1e9;
    closed_.push_back({end_ns_, static_cast<double>(down_bytes_) / seconds,
                       static_cast<double>(up_bytes_) / seconds});
    while (closed_.size() > max_samples_) closed_.pop_front();
    down_bytes_ = up_bytes_ = 0;
    end_ns_ += interval_ns_;
}

void TrafficSeries::advance(std::int64_t now_ns) {
    if (!started_ || now_ns < end_ns_) return;
    // A gap longer than the whole series (a capture paused for hours, a
    // clock jump) leaves nothing but empty intervals: start over after it.
    const std::int64_t gap_intervals = (now_ns - end_ns_) / interval_ns_;
    if (gap_intervals > static_cast<std::int64_t>(max_samples_)) {
        close_current();
        closed_.clear();
        end_ns_ = now_ns - now_ns % interval_ns_ + interval_ns_;
        return;
    }
    while (now_ns >= end_ns_) close_current();
}

void TrafficSeries::start_or_advance(std::int64_t ts_ns) {
    if (!started_) {
        started_ = true;
        // Intervals are aligned to the clock, so two runs bin alike.
        end_ns_ = ts_ns - ts_ns % interval_ns_ + interval_ns_;
    }
    advance(ts_ns);
}

std::vector<snapshot::TrafficSample> TrafficSeries::samples() const {
    return {closed_.begin(), closed_.end()};
}

}  // namespace sockeye::flow
