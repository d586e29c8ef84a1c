// b: rates and totals in bytes or bits, in every view.
#include <gtest/gtest.h>

#include <string>

#include "tui/format.hpp"
#include "tui/ui.hpp"
#include "unit/tui/ui_driver.hpp"
#include "unit/tui/ui_fixture.hpp"
#include "unit/tui/view_golden.hpp"

namespace sockeye::tui {
namespace {

using testing::ch;
using testing::expect_golden;
using testing::make_snapshot;
using testing::screen;

TEST(Units, BitsAreEightTimesTheBytesWithALowercaseB) {
    EXPECT_EQ(format_rate(125'000, Units::bits), "1.0 Mb/s");
    EXPECT_EQ(format_rate(125'000), "125 kB/s");
    EXPECT_EQ(format_rate(0, Units::bits), "0 b/s");
    EXPECT_EQ(format_rate(-1, Units::bits), "0 b/s");
    EXPECT_EQ(format_bytes(1000, Units::bits), "8.0 kb");
    EXPECT_EQ(format_bytes(100, Units::bits), "800 b");
    EXPECT_EQ(format_bytes(1'640'000, Units::bits), "13 Mb");
}

TEST(Units, BTogglesEveryView) {
    Ui ui;
    ui.resize(200, 60);
    for (int tick = 39; tick >= 0; --tick) ui.update(make_snapshot(tick));
    const auto bytes_shown = [&] { return screen(ui, 200, 60); };
    const std::string before = bytes_shown();
    EXPECT_NE(before.find("MB/s"), std::string::npos);
    ui.handle(ch(U'b'));
    EXPECT_TRUE(ui.state().table.bits);
    for (char tab : {'1', '2', '3', '4'}) {
        ui.handle(ch(static_cast<char32_t>(tab)));
        const std::string s = screen(ui, 200, 60);
        EXPECT_EQ(s.find("B/s"), std::string::npos) << "tab " << tab << "\n" << s;
        EXPECT_NE(s.find("b/s"), std::string::npos) << "tab " << tab << "\n" << s;
    }
    ui.handle(ch(U'1'));
    // The rows: the curl flow's 1.5 MB/s down reads 12 Mb/s, its 1.6 MB total 13 Mb.
    const std::string overview = screen(ui, 200, 60);
    EXPECT_NE(overview.find("12 Mb/s"), std::string::npos);
    EXPECT_NE(overview.find("13 Mb"), std::string::npos);
    expect_golden("overview_bits_200x60", overview);
    ui.handle(ch(U'b'));
    EXPECT_EQ(screen(ui, 200, 60), before);
}

// T: Down and Up say bytes so far instead of rates (at 80 columns the
// Total columns are gone), sorted by them, in the overview and Processes.
TEST(Units, TShowsTotalsInsteadOfRates) {
    Ui ui;
    ui.resize(80, 24);
    for (int tick = 39; tick >= 0; --tick) ui.update(make_snapshot(tick));
    const std::string rates = screen(ui, 80, 24);
    ui.handle(ch(U'T'));
    EXPECT_TRUE(ui.state().table.totals);
    const std::string totals = screen(ui, 80, 24);
    EXPECT_EQ(totals.find("/s"), std::string::npos) << totals;
    EXPECT_NE(totals.find("Recv▼"), std::string::npos) << totals;
    EXPECT_NE(totals.find("Sent"), std::string::npos) << totals;
    // The first row is the one with the most bytes received, as a number.
    const auto& snap = ui.snapshot();
    const auto& rows = ui.state().connections.rows;
    ASSERT_FALSE(rows.empty());
    for (const auto& row : rows) {
        EXPECT_LE(snap.flows[row.flow_index].bytes_received,
                  snap.flows[rows.front().flow_index].bytes_received);
    }
    EXPECT_NE(totals.find(format_bytes(snap.flows[rows.front().flow_index].bytes_received)),
              std::string::npos);
    ui.handle(ch(U'3'));
    const std::string processes = screen(ui, 80, 24);
    EXPECT_NE(processes.find("Recv"), std::string::npos) << processes;
    ui.handle(ch(U'1'));
    ui.handle(ch(U'T'));
    EXPECT_EQ(screen(ui, 80, 24), rates);
}

}  // namespace
}  // namespace sockeye::tui
