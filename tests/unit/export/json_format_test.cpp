// The integer fast paths of the JSON writer (timestamps, millisecond
// durations, integers) against the printf formatting they replace: the
// output of `--json` must not change by a byte.
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "export/json.hpp"

namespace sockeye::exports {
namespace {

// What rfc3339_utc_micros printed before its fast path: gmtime_r + snprintf.
std::string reference_rfc3339(std::int64_t ts_ns) {
    std::int64_t seconds = ts_ns / 1'000'000'000;
    std::int64_t rem_ns = ts_ns % 1'000'000'000;
    if (rem_ns < 0) {
        rem_ns += 1'000'000'000;
        --seconds;
    }
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(rem_ns / 1000));
    return buf;
}

std::string reference_millis3(std::int64_t ns) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ns) / 1e6);
    return std::string("{\"k\":") + buf + "}";
}

std::string millis3(std::int64_t ns) {
    std::string out;
    JsonObject obj(out);
    obj.field_millis3("k", ns);
    obj.close();
    return out;
}

TEST(JsonFormat, TimestampsMatchGmtimeAcrossCalendarEdges) {
    constexpr std::int64_t kDay = 86'400'000'000'000;
    // Leap days, century rules (1900 no, 2000 yes, 2100 no), year ends,
    // before the epoch, and both ends of what nanoseconds in 64 bits hold.
    const std::int64_t fixed[] = {0,
                                  -1,
                                  -1'000,
                                  951'782'400'000'000'000,    // 2000-02-29
                                  951'868'799'999'999'999,    // 2000-02-29T23:59:59.999999
                                  4'107'542'400'000'000'000,  // 2100-03-01
                                  -2'203'891'200'000'000'000, // 1900-03-01
                                  1'704'067'199'999'999'000,  // 2023-12-31T23:59:59.999999
                                  INT64_MAX,                  // 2262-04-11
                                  INT64_MIN};                 // 1677-09-21
    for (const std::int64_t ts : fixed) EXPECT_EQ(rfc3339_utc_micros(ts), reference_rfc3339(ts)) << ts;
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> day(-106'750, 106'749);  // 1677-09-22 .. 2262-04-10
    std::uniform_int_distribution<std::int64_t> within(0, kDay - 1);
    for (int i = 0; i < 20'000; ++i) {
        const std::int64_t ts = day(rng) * kDay + within(rng);
        ASSERT_EQ(rfc3339_utc_micros(ts), reference_rfc3339(ts)) << ts;
    }
}

TEST(JsonFormat, MillisecondsMatchPrintfIncludingMidpoints) {
    // Midpoints (x.xxx5 ms) take printf's own rounding of the double.
    const std::int64_t fixed[] = {0, 1, 499, 500, 501, 999, 1'000, 1'500, 2'500, 12'345'500,
                                  999'999'999, 1'000'000'000'000, 999'999'999'999'999,
                                  1'000'000'000'000'000, 123'456'789'012'345'678};
    for (const std::int64_t ns : fixed) EXPECT_EQ(millis3(ns), reference_millis3(ns)) << ns;
    std::mt19937_64 rng(11);
    for (int i = 0; i < 50'000; ++i) {
        // Spread over magnitudes: RTTs are micro- to milliseconds, durations longer.
        const int bits = static_cast<int>(rng() % 55);
        const auto ns = static_cast<std::int64_t>(rng() >> (64 - std::max(bits, 1)));
        ASSERT_EQ(millis3(ns), reference_millis3(ns)) << ns;
    }
}

TEST(JsonFormat, IntegersAndPlainStrings) {
    std::string out;
    JsonObject obj(out);
    obj.field("max", std::uint64_t{18'446'744'073'709'551'615U})
        .field("min", std::int64_t{INT64_MIN})
        .field("zero", std::uint64_t{0})
        .field("text", "plain ascii, with spaces: 10.0.0.1")
        .field("mixed", "a\"b\tc");
    obj.close();
    EXPECT_EQ(out,
              R"({"max":18446744073709551615,"min":-9223372036854775808,"zero":0,)"
              R"("text":"plain ascii, with spaces: 10.0.0.1","mixed":"a\"b\tc"})");
}

}  // namespace
}  // namespace sockeye::exports
