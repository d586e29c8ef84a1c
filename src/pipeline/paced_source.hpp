// Replays another source at the pace its timestamps were recorded (times a
// speed factor), so `sockeye -r FILE` in the terminal UI looks like live
// capture. Waits in short slices and reports `timeout` meanwhile, so the
// caller keeps serving the UI while a quiet stretch of the capture plays.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "capture/packet_source.hpp"

namespace sockeye::pipeline {

class PacedSource final : public capture::PacketSource {
public:
    using Clock = std::chrono::steady_clock;

    // `speed` > 0: 2 plays twice as fast as recorded.
    PacedSource(capture::PacketSource& inner, double speed);

    capture::NextStatus next(core::RawFrame& out) override;
    [[nodiscard]] int link_type() const override { return inner_.link_type(); }
    [[nodiscard]] capture::SourceStats stats() const override { return inner_.stats(); }
    [[nodiscard]] const std::string& error() const override { return inner_.error(); }
    [[nodiscard]] const std::string& name() const override { return inner_.name(); }
    void interrupt() override;

    // The capture's clock now: the timestamp being played at this instant
    // (the engine ticks with it while the replay waits between packets).
    [[nodiscard]] std::int64_t replay_time_ns() const;

    static constexpr std::chrono::milliseconds kSlice{50};

private:
    capture::PacketSource& inner_;
    double speed_;
    std::atomic<bool> interrupted_{false};
    core::RawFrame pending_{};  // read ahead, not yet due; its bytes stay valid until inner_.next()
    bool has_pending_ = false;
    bool started_ = false;
    std::int64_t first_ts_ns_ = 0;
    Clock::time_point start_{};
};

}  // namespace sockeye::pipeline
