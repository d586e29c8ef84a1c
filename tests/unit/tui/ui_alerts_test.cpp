// Alerts in the UI: the tab bar counts the ones not looked at yet, A lists
// them newest first, and looking clears the count.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "unit/tui/ui_driver.hpp"
#include "unit/tui/view_golden.hpp"

namespace sockeye::tui {
namespace {

using testing::ch;
using testing::expect_golden;
using testing::kNow;
using testing::kSecond;
using testing::make_snapshot;
using testing::screen;

snapshot::Alert alert(std::uint64_t sequence, std::string rule, std::string condition,
                      std::string program, std::string detail) {
    snapshot::Alert a;
    a.sequence = sequence;
    a.ts_ns = kNow - static_cast<std::int64_t>(10 - sequence) * kSecond;
    a.rule = std::move(rule);
    a.condition = std::move(condition);
    a.program = std::move(program);
    a.detail = std::move(detail);
    return a;
}

std::shared_ptr<const snapshot::Snapshot> with_alerts(std::size_t count) {
    auto snap = std::make_shared<snapshot::Snapshot>(*make_snapshot());
    const snapshot::Alert all[] = {
        alert(1, "new-peers", "new_destination", "curl", "example.com"),
        alert(2, "big", "rate_above", "wget", "50.0 MB/s"),
        // Names off the wire reach the list: no terminal control gets through.
        alert(3, "new-peers", "new_destination", "firefox-esr", "evil\x1b]0;owned\x07.example"),
    };
    for (std::size_t i = 0; i < count; ++i) snap->alerts.push_back(all[i]);
    return snap;
}

std::string tab_bar(const Ui& ui) {
    const std::string text = screen(ui, 120, 40);
    return text.substr(0, text.find('\n'));
}

TEST(UiAlerts, TheTabBarCountsNewAlertsAndALooksAtThem) {
    Ui ui;
    ui.resize(120, 40);
    ui.update(with_alerts(0));
    EXPECT_EQ(tab_bar(ui).find("alert"), std::string::npos);
    ui.update(with_alerts(2));
    EXPECT_NE(tab_bar(ui).find("⚑ 2 new alerts (A)"), std::string::npos) << tab_bar(ui);
    ui.handle(ch(U'A'));
    ASSERT_TRUE(ui.state().alerts_open);
    ui.update(with_alerts(3));
    const std::string open = screen(ui, 120, 40);
    EXPECT_EQ(open.find('\x1b'), std::string::npos);
    EXPECT_EQ(open.find('\x07'), std::string::npos);
    expect_golden("alerts_120x40", open);
    // The newest first (in the box, below the table's own rows).
    const std::string list = open.substr(open.find("Alerts: 3 recent"));
    EXPECT_LT(list.find("firefox-esr"), list.find("wget")) << list;
    EXPECT_LT(list.find("wget"), list.find("curl ")) << list;
    ui.handle(ch(U'x'));  // any key closes, and does nothing else
    EXPECT_FALSE(ui.state().alerts_open);
    EXPECT_EQ(ui.state().table.cleared_at_ns, 0);
    // Seen up to 2 when opened: the third is new.
    EXPECT_NE(tab_bar(ui).find("⚑ 1 new alert (A)"), std::string::npos) << tab_bar(ui);
    ui.handle(ch(U'A'));
    ui.handle(ch(U'q'));
    EXPECT_EQ(tab_bar(ui).find("new alert"), std::string::npos);
}

TEST(UiAlerts, WithoutRulesTheListSaysHowToMakeThem) {
    Ui ui;
    ui.resize(80, 24);
    ui.update(with_alerts(0));
    ui.handle(ch(U'A'));
    const std::string text = screen(ui, 80, 24);
    EXPECT_NE(text.find("no alerts in this run"), std::string::npos) << text;
    EXPECT_NE(text.find("[[alert]]"), std::string::npos) << text;
}

}  // namespace
}  // namespace sockeye::tui
