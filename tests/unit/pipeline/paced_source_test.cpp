#include "pipeline/paced_source.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace sockeye::pipeline {
namespace {

// Frames with the given timestamps and one byte each.
class TimestampSource final : public capture::PacketSource {
public:
    explicit TimestampSource(std::vector<std::int64_t> ts) : ts_(std::move(ts)) {}
    capture::NextStatus next(core::RawFrame& out) override {
        if (i_ >= ts_.size()) return capture::NextStatus::end;
        out.ts_ns = ts_[i_++];
        out.wire_len = 1;
        out.bytes = {&byte_, 1};
        return capture::NextStatus::frame;
    }
    [[nodiscard]] int link_type() const override { return 1; }
    [[nodiscard]] const std::string& error() const override { return empty_; }
    [[nodiscard]] const std::string& name() const override { return empty_; }

private:
    std::vector<std::int64_t> ts_;
    std::size_t i_ = 0;
    std::uint8_t byte_ = 0;
    std::string empty_;
};

using namespace std::chrono;
constexpr std::int64_t kMs = 1'000'000;

// Drains the source, returning the frame timestamps and the wall time taken.
std::pair<std::vector<std::int64_t>, milliseconds> drain(PacedSource& s, int& timeouts) {
    const auto t0 = steady_clock::now();
    std::vector<std::int64_t> seen;
    core::RawFrame f;
    for (int guard = 0; guard < 10'000; ++guard) {
        const auto st = s.next(f);
        if (st == capture::NextStatus::end) break;
        if (st == capture::NextStatus::timeout) ++timeouts;
        if (st == capture::NextStatus::frame) seen.push_back(f.ts_ns);
    }
    return {seen, duration_cast<milliseconds>(steady_clock::now() - t0)};
}

TEST(PacedSource, PlaysAtRecordedPaceTimesSpeed) {
    const std::int64_t base = 1'700'000'000'000 * kMs;
    TimestampSource inner({base, base + 200 * kMs, base + 400 * kMs});
    PacedSource paced(inner, 2.0);  // 400 ms of capture in ~200 ms
    int timeouts = 0;
    auto [seen, took] = drain(paced, timeouts);
    EXPECT_EQ(seen, (std::vector<std::int64_t>{base, base + 200 * kMs, base + 400 * kMs}));
    EXPECT_GE(took.count(), 190);
    EXPECT_LT(took.count(), 1000);
    // The 100 ms waits are served in 50 ms slices, reported as timeouts.
    EXPECT_GE(timeouts, 2);
}

TEST(PacedSource, ReplayClockFollowsTheCapture) {
    const std::int64_t base = 5'000 * kMs;
    TimestampSource inner({base, base + 10'000 * kMs});
    PacedSource paced(inner, 1.0);
    core::RawFrame f;
    ASSERT_EQ(paced.next(f), capture::NextStatus::frame);
    EXPECT_EQ(paced.next(f), capture::NextStatus::timeout);  // next frame is 10 s away
    const std::int64_t now = paced.replay_time_ns();
    EXPECT_GE(now, base + 40 * kMs);
    EXPECT_LT(now, base + 2'000 * kMs);
    paced.interrupt();
    EXPECT_EQ(paced.next(f), capture::NextStatus::end);
}

TEST(PacedSource, OutOfOrderTimestampsDoNotWait) {
    TimestampSource inner({100 * kMs, 50 * kMs, 101 * kMs});
    PacedSource paced(inner, 1.0);
    int timeouts = 0;
    auto [seen, took] = drain(paced, timeouts);
    EXPECT_EQ(seen.size(), 3u);
    EXPECT_LT(took.count(), 500);
}

}  // namespace
}  // namespace sockeye::pipeline
