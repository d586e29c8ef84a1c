#include <gtest/gtest.h>

#include "tui/format.hpp"
#include "tui/theme.hpp"

namespace sockeye::tui {
namespace {

TEST(Format, Bytes) {
    EXPECT_EQ(format_bytes(0), "0 B");
    EXPECT_EQ(format_bytes(999), "999 B");
    EXPECT_EQ(format_bytes(1'234), "1.2 kB");
    EXPECT_EQ(format_bytes(12'345'678), "12 MB");
    EXPECT_EQ(format_bytes(999'600), "1.0 MB");  // rounds up into the next unit
    EXPECT_EQ(format_bytes(3'000'000'000'000), "3.0 TB");
}

TEST(Format, RatesRttDurationsCounts) {
    EXPECT_EQ(format_rate(3'400'000), "3.4 MB/s");
    EXPECT_EQ(format_rate(-5), "0 B/s");
    EXPECT_EQ(format_rtt(-1), "-");
    EXPECT_EQ(format_rtt(12'300'000), "12.3 ms");
    EXPECT_EQ(format_rtt(450'000), "0.5 ms");
    EXPECT_EQ(format_rtt(250'000'000), "250 ms");
    EXPECT_EQ(format_rtt(1'250'000'000), "1.25 s");
    EXPECT_EQ(format_duration(42'000'000'000), "42s");
    EXPECT_EQ(format_duration(185'000'000'000), "3m 05s");
    EXPECT_EQ(format_duration(7'620'000'000'000), "2h 07m");
    EXPECT_EQ(format_count(999), "999");
    EXPECT_EQ(format_count(12'345), "12k");
    EXPECT_EQ(format_count(4'500'000), "4.5M");
    EXPECT_EQ(format_clock(1'700'000'060'123'000'000), "22:14:20.123");
}

TEST(Format, Endpoints) {
    EXPECT_EQ(format_endpoint(core::IpAddress::parse("10.0.0.1"), 443, snapshot::FlowProtocol::tcp),
              "10.0.0.1:443");
    EXPECT_EQ(format_endpoint(core::IpAddress::parse("::1"), 53, snapshot::FlowProtocol::udp),
              "[::1]:53");
    EXPECT_EQ(format_endpoint(core::IpAddress::parse("8.8.8.8"), 7, snapshot::FlowProtocol::icmp),
              "8.8.8.8");
}

TEST(Theme, FourThemesMonoForNoColor) {
    for (auto name : {"default", "dark", "light", "mono"}) {
        const Theme* t = find_theme(name);
        ASSERT_NE(t, nullptr) << name;
        EXPECT_EQ(t->name, name);
    }
    EXPECT_EQ(find_theme("neon"), nullptr);
    EXPECT_EQ(resolve_theme("dark", true).name, "mono");
    EXPECT_EQ(resolve_theme("neon", false).name, "default");
    const Theme& mono = *find_theme("mono");
    // Mono tells things apart by attributes only.
    for (const Style* s : {&mono.base, &mono.selected, &mono.header, &mono.error, &mono.down}) {
        EXPECT_EQ(s->fg.kind, Color::Kind::terminal_default);
        EXPECT_EQ(s->bg.kind, Color::Kind::terminal_default);
    }
    EXPECT_NE(mono.selected.attrs, 0);
}

TEST(Theme, FadeSteps) {
    const Theme& dark = *find_theme("dark");
    EXPECT_EQ(fade(dark, dark.base, 0.0), dark.base);
    EXPECT_EQ(fade(dark, dark.base, 0.2), dark.base);  // below the first step
    const Style half = fade(dark, dark.base, 0.5);
    const Style full = fade(dark, dark.base, 1.0);
    EXPECT_NE(half.fg, dark.base.fg);
    EXPECT_EQ(full.fg, dark.faded.fg);
    const Theme& mono = *find_theme("mono");
    EXPECT_TRUE(fade(mono, mono.base, 0.8).attrs & attr::dim);
}

}  // namespace
}  // namespace sockeye::tui
