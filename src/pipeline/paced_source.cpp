#include "pipeline/paced_source.hpp"

#include <algorithm>
#include <thread>

namespace sockeye::pipeline {

PacedSource::PacedSource(capture::PacketSource& inner, double speed)
    : inner_(inner), speed_(speed > 0 ? speed : 1) {}

void PacedSource::interrupt() {
    interrupted_.store(true);
    inner_.interrupt();
}

std::int64_t PacedSource::replay_time_ns() const {
    if (!started_) return 0;
    const auto elapsed = std::chrono::duration<double, std::nano>(Clock::now() - start_).count();
    return first_ts_ns_ + static_cast<std::int64_t>(elapsed * speed_);
}

capture::NextStatus PacedSource::next(core::RawFrame& out) {
    if (interrupted_.load()) return capture::NextStatus::end;
    if (!has_pending_) {
        const auto status = inner_.next(pending_);
        if (status != capture::NextStatus::frame) return status;
        has_pending_ = true;
        if (!started_) {
            started_ = true;
            first_ts_ns_ = pending_.ts_ns;
            start_ = Clock::now();
        }
    }
    // Out-of-order timestamps in a file play at once rather than wait.
    const double offset_ns = static_cast<double>(std::max<std::int64_t>(0, pending_.ts_ns - first_ts_ns_));
    const auto due = start_ + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double, std::nano>(offset_ns / speed_));
    const auto now = Clock::now();
    if (now < due) {
        std::this_thread::sleep_for(std::min<Clock::duration>(due - now, kSlice));
        if (Clock::now() < due || interrupted_.load()) return capture::NextStatus::timeout;
    }
    out = pending_;
    has_pending_ = false;
    return capture::NextStatus::frame;
}

}  // namespace sockeye::pipeline
