#include "flow/traffic_series.hpp"

#include <gtest/gtest.h>

namespace sockeye::flow {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
// A packet time in 2026, so a sample at epoch 0 would stand out.
constexpr std::int64_t kStart = 1'780'000'000 * kSecond;

TEST(TrafficSeries, OneSamplePerIntervalOfPacketTime) {
    TrafficSeries series(kSecond, 600);
    // Ten seconds of a capture, read in no time at all (--speed max): one
    // frame of 1000 bytes down and 100 up per second.
    for (int s = 0; s < 10; ++s) {
        series.add(kStart + s * kSecond + 1, 1000, false);
        series.add(kStart + s * kSecond + 2, 100, true);
    }
    const auto samples = series.samples();
    ASSERT_EQ(samples.size(), 9u);  // the tenth second is still open
    for (std::size_t i = 0; i < samples.size(); ++i) {
        EXPECT_EQ(samples[i].ts_ns, kStart + static_cast<std::int64_t>(i + 1) * kSecond);
        EXPECT_DOUBLE_EQ(samples[i].down, 1000.0);
        EXPECT_DOUBLE_EQ(samples[i].up, 100.0);
    }
    // The span the graph's header reports is the capture's, not decades.
    EXPECT_EQ(samples.back().ts_ns - samples.front().ts_ns, 8 * kSecond);
}

TEST(TrafficSeries, QuietTimeClosesEmptyIntervals) {
    TrafficSeries series(kSecond, 600);
    series.add(kStart, 500, false);
    series.advance(kStart + 3 * kSecond);  // an idle live link: wall-clock ticks
    const auto samples = series.samples();
    ASSERT_EQ(samples.size(), 3u);
    EXPECT_DOUBLE_EQ(samples[0].down, 500.0);
    EXPECT_DOUBLE_EQ(samples[1].down, 0.0);
    EXPECT_DOUBLE_EQ(samples[2].down, 0.0);
}

TEST(TrafficSeries, IntervalsOtherThanASecondGiveBytesPerSecond) {
    TrafficSeries series(kSecond / 4, 600);
    series.add(kStart, 250, true);
    series.advance(kStart + kSecond / 4);
    ASSERT_EQ(series.samples().size(), 1u);
    EXPECT_DOUBLE_EQ(series.samples()[0].up, 1000.0);
}

TEST(TrafficSeries, KeepsTheLastSamplesAndStartsOverAfterALongGap) {
    TrafficSeries series(kSecond, 5);
    for (int s = 0; s < 20; ++s) series.add(kStart + s * kSecond, 1, false);
    EXPECT_EQ(series.samples().size(), 5u);
    EXPECT_EQ(series.samples().back().ts_ns, kStart + 19 * kSecond);
    // A jump of a year: no year of empty samples, only what follows it.
    series.add(kStart + 365LL * 86400 * kSecond, 7, false);
    series.add(kStart + 365LL * 86400 * kSecond + kSecond, 7, false);
    const auto samples = series.samples();
    ASSERT_EQ(samples.size(), 1u);
    EXPECT_DOUBLE_EQ(samples[0].down, 7.0);
}

TEST(TrafficSeries, NothingBeforeTheFirstFrame) {
    TrafficSeries series(kSecond, 600);
    series.advance(kStart);
    EXPECT_TRUE(series.samples().empty());
}

}  // namespace
}  // namespace sockeye::flow
