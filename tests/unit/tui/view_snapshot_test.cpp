// Every view at 80x24 and 120x40 (and the overview with its side panel at
// 200x60), drawn from the fixed engine state, against golden files.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "tui/ui.hpp"
#include "unit/tui/ui_driver.hpp"
#include "unit/tui/ui_fixture.hpp"
#include "unit/tui/view_golden.hpp"

namespace sockeye::tui {
namespace {

using testing::ch;
using testing::expect_golden;
using testing::key;
using testing::make_snapshot;
using testing::screen;

std::string size_name(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

class ViewSnapshot : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(ViewSnapshot, Overview) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    expect_golden("overview_" + size_name(w, h), screen(ui, w, h));
}

TEST_P(ViewSnapshot, OverviewGroupedWithEndedFlows) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    ui.handle(ch(U'a'));  // group by process
    ui.handle(ch(U't'));  // ended flows too
    // Open the first two groups.
    ui.handle(key(Key::enter));
    ui.handle(ch(U'j'));
    ui.handle(ch(U'j'));
    ui.handle(ch(U'j'));
    ui.handle(key(Key::enter));
    expect_golden("overview_grouped_" + size_name(w, h), screen(ui, w, h));
}

TEST_P(ViewSnapshot, OverviewPortsAndAddresses) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    ui.handle(ch(U'p'));
    ui.handle(ch(U'd'));
    ui.handle(ch(U's'));  // sort by the next column after Down: Up
    expect_golden("overview_numeric_" + size_name(w, h), screen(ui, w, h));
}

TEST_P(ViewSnapshot, DetailsOfTlsFlow) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    // The default sort is Down, largest first: QUIC then TLS (curl).
    ui.handle(ch(U'j'));
    ui.handle(key(Key::enter));
    ASSERT_EQ(ui.state().tab, Tab::details);
    expect_golden("details_tls_" + size_name(w, h), screen(ui, w, h));
}

TEST_P(ViewSnapshot, DetailsOfHttpFlowInContainer) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    ui.handle(ch(U'j'));
    ui.handle(ch(U'j'));
    ui.handle(key(Key::enter));
    expect_golden("details_http_" + size_name(w, h), screen(ui, w, h));
}

TEST_P(ViewSnapshot, Processes) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    ui.handle(ch(U'3'));
    expect_golden("processes_" + size_name(w, h), screen(ui, w, h));
}

TEST_P(ViewSnapshot, ProcessesByPid) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    ui.handle(ch(U'3'));
    ui.handle(ch(U'g'));
    expect_golden("processes_pids_" + size_name(w, h), screen(ui, w, h));
}

// By container: the Docker container by name with its image, the host's
// processes together, unattributed flows together; the container selected.
TEST_P(ViewSnapshot, ProcessesByContainer) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    ui.handle(ch(U'3'));
    ui.handle(ch(U'g'));  // by pid
    ui.handle(ch(U'g'));  // by container
    ui.handle(ch(U'j'));  // host first (the most down), then the container
    expect_golden("processes_containers_" + size_name(w, h), screen(ui, w, h));
}

TEST_P(ViewSnapshot, ProcessesByRemoteHost) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    ui.handle(ch(U'3'));
    for (int i = 0; i < 3; ++i) ui.handle(ch(U'g'));  // program -> pid -> container -> host
    expect_golden("processes_hosts_" + size_name(w, h), screen(ui, w, h));
}

TEST_P(ViewSnapshot, Graph) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    ui.handle(ch(U'4'));
    expect_golden("graph_" + size_name(w, h), screen(ui, w, h));
}

TEST_P(ViewSnapshot, HelpOverlay) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    ui.handle(ch(U'?'));
    expect_golden("help_overview_" + size_name(w, h), screen(ui, w, h));
}

TEST_P(ViewSnapshot, FilterPromptWithError) {
    const auto [w, h] = GetParam();
    Ui ui = testing::ui_with_history(w, h);
    ui.handle(ch(U'/'));
    for (char c : std::string("app:tls")) ui.handle(ch(static_cast<char32_t>(c)));
    ui.handle(key(Key::enter));
    ui.handle(ch(U'/'));
    for (char c : std::string(" and prot:tcp")) ui.handle(ch(static_cast<char32_t>(c)));
    ui.handle(key(Key::enter));
    expect_golden("filter_error_" + size_name(w, h), screen(ui, w, h));
}

INSTANTIATE_TEST_SUITE_P(Sizes, ViewSnapshot,
                         ::testing::Values(std::make_pair(80, 24), std::make_pair(120, 40)),
                         [](const auto& p) {
                             return size_name(p.param.first, p.param.second);
                         });

TEST(ViewSnapshotWide, OverviewWithSidePanel) {
    Ui ui = testing::ui_with_history(200, 60);
    expect_golden("overview_200x60", screen(ui, 200, 60));
}

TEST(ViewSnapshotWide, OverviewNoHistoryEmptySnapshot) {
    Ui ui;
    expect_golden("overview_empty_80x24", screen(ui, 80, 24));
}

}  // namespace
}  // namespace sockeye::tui
