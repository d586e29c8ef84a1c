#include "host/interface_stats.hpp"

#include <gtest/gtest.h>

#include "unit/host/fixture_dir.hpp"

namespace sockeye::host {
namespace {

void set_counters(const test::FixtureDir& dir, const std::string& ifname, std::uint64_t rx_bytes,
                  std::uint64_t tx_bytes, std::uint64_t base = 0) {
    const std::string d = "class/net/" + ifname + "/statistics/";
    dir.write(d + "rx_bytes", std::to_string(rx_bytes) + "\n");
    dir.write(d + "tx_bytes", std::to_string(tx_bytes) + "\n");
    dir.write(d + "rx_packets", std::to_string(base + 1) + "\n");
    dir.write(d + "tx_packets", std::to_string(base + 2) + "\n");
    dir.write(d + "rx_errors", std::to_string(base + 3) + "\n");
    dir.write(d + "tx_errors", std::to_string(base + 4) + "\n");
    dir.write(d + "rx_dropped", std::to_string(base + 5) + "\n");
    dir.write(d + "tx_dropped", std::to_string(base + 6) + "\n");
}

TEST(InterfaceStats, ReadsCountersAndRates) {
    test::FixtureDir dir;
    set_counters(dir, "lo", 1000, 1000, 0);
    set_counters(dir, "eth0", 5000, 2000, 100);
    InterfaceStatsReader reader(dir.root());
    auto first = reader.read(1'000'000'000);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0].name, "eth0");  // sorted
    EXPECT_EQ(first[0].rx_bytes, 5000u);
    EXPECT_EQ(first[0].tx_bytes, 2000u);
    EXPECT_EQ(first[0].rx_packets, 101u);
    EXPECT_EQ(first[0].tx_packets, 102u);
    EXPECT_EQ(first[0].rx_errors, 103u);
    EXPECT_EQ(first[0].tx_errors, 104u);
    EXPECT_EQ(first[0].rx_dropped, 105u);
    EXPECT_EQ(first[0].tx_dropped, 106u);
    EXPECT_EQ(first[0].rx_bytes_per_s, 0.0);  // no previous reading

    set_counters(dir, "eth0", 5000 + 3000, 2000 + 500, 100);
    set_counters(dir, "lo", 500, 1000, 0);  // went backwards: reset
    const auto second = reader.read(3'000'000'000);  // two seconds later
    ASSERT_EQ(second.size(), 2u);
    EXPECT_DOUBLE_EQ(second[0].rx_bytes_per_s, 1500.0);
    EXPECT_DOUBLE_EQ(second[0].tx_bytes_per_s, 250.0);
    EXPECT_EQ(second[1].name, "lo");
    EXPECT_EQ(second[1].rx_bytes_per_s, 0.0);
    EXPECT_EQ(second[1].tx_bytes_per_s, 0.0);
}

TEST(InterfaceStats, RatesAverageTheSameWindowAsTheFlows) {
    // One reading a second, 1000 bytes a second, then a burst of 9000 in the
    // last second: the rate is the last five seconds' average, as a flow's
    // would be, not the last second alone.
    test::FixtureDir dir;
    InterfaceStatsReader reader(dir.root());
    std::uint64_t rx = 0;
    std::vector<snapshot::InterfaceStats> s;
    for (int second = 0; second <= 10; ++second) {
        rx += second == 10 ? 9000 : 1000;
        set_counters(dir, "eth0", rx, 0, 0);
        s = reader.read(second * 1'000'000'000LL);
    }
    ASSERT_EQ(s.size(), 1u);
    EXPECT_DOUBLE_EQ(s[0].rx_bytes_per_s, (4 * 1000 + 9000) / 5.0);
}

TEST(InterfaceStats, MissingFilesAndGarbageReadAsZero) {
    test::FixtureDir dir;
    dir.mkdir("class/net/wg0");  // no statistics directory
    dir.write("class/net/veth1/statistics/rx_bytes", "not a number\n");
    InterfaceStatsReader reader(dir.root());
    const auto s = reader.read(0);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].name, "veth1");
    EXPECT_EQ(s[0].rx_bytes, 0u);
    EXPECT_EQ(s[1].name, "wg0");
    EXPECT_TRUE(InterfaceStatsReader(dir.path("nowhere")).read(0).empty());
}

TEST(InterfaceStats, RealLoopbackIsListed) {
    InterfaceStatsReader reader;
    const auto s = reader.read(0);
    bool found = false;
    for (const auto& i : s) found = found || i.name == "lo";
    EXPECT_TRUE(found);
}

}  // namespace
}  // namespace sockeye::host
