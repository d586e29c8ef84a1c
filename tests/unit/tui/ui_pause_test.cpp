// Pause (Space, P) and order freeze (o): what the tables show while capture
// goes on, the status bar, the marks after a resume, and the selection.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tui/ui.hpp"
#include "unit/tui/ui_driver.hpp"
#include "unit/tui/ui_fixture.hpp"
#include "unit/tui/view_golden.hpp"

namespace sockeye::tui {
namespace {

using testing::ch;
using testing::expect_golden;
using testing::kNow;
using testing::kSecond;
using testing::key;
using testing::make_snapshot;
using testing::screen;

// The golden state `seconds` later, live (wall clock set), where the flow to
// 151.101.2.132 (wget) moved 1 MB and now downloads faster than every other.
std::shared_ptr<const snapshot::Snapshot> later(int seconds, bool wget_moved = true) {
    auto snap = std::make_shared<snapshot::Snapshot>(*make_snapshot());
    snap->ts_ns = kNow + seconds * kSecond;
    snap->wall_ns = kNow + seconds * kSecond;
    if (!wget_moved) return snap;
    for (auto& f : snap->flows) {
        if (f.destination_ip.to_string() != "151.101.2.132") continue;
        f.bytes_received += 1'000'000;
        f.received_bytes_per_s = 50'000'000;
        f.last_seen_ns = snap->ts_ns;
    }
    return snap;
}

std::shared_ptr<const snapshot::Snapshot> start() {
    auto snap = std::make_shared<snapshot::Snapshot>(*make_snapshot());
    snap->wall_ns = kNow;
    return snap;
}

std::vector<std::string> rows_text(const std::string& screen_text, int first, int count) {
    std::vector<std::string> out;
    std::size_t at = 0;
    for (int line = 0; at != std::string::npos; ++line) {
        const std::size_t end = screen_text.find('\n', at);
        if (line >= first && line < first + count)
            out.push_back(screen_text.substr(at, end == std::string::npos ? end : end - at));
        at = end == std::string::npos ? end : end + 1;
    }
    return out;
}

std::string status_line(const Ui& ui) {
    const std::string s = screen(ui, 120, 40);
    return rows_text(s, 39, 1).at(0);
}

std::string remote_ip(const Ui& ui, const ConnectionRow& row) {
    return ui.snapshot().flows.at(row.flow_index).destination_ip.to_string();
}

std::vector<std::string> remotes(const Ui& ui) {
    std::vector<std::string> out;
    for (const auto& row : ui.state().connections.rows)
        out.push_back(row_cell(ui.snapshot(), row, Column::remote, ui.state().table));
    return out;
}

Ui started() {
    Ui ui;
    ui.resize(120, 40);
    ui.update(start());
    return ui;
}

TEST(UiPause, SpaceFreezesTheTableWhileSnapshotsArriveAndSaysForHowLong) {
    Ui ui = started();
    const std::string before = screen(ui, 120, 40);
    ui.handle(ch(U' '));
    EXPECT_TRUE(ui.state().paused);
    for (int s = 1; s <= 12; ++s) ui.update(later(s));
    const std::string during = screen(ui, 120, 40);
    // Everything above the status bar is as it was; the new numbers are not shown.
    EXPECT_EQ(rows_text(during, 0, 39), rows_text(before, 0, 39));
    EXPECT_EQ(during.find("50 MB/s"), std::string::npos);
    EXPECT_NE(status_line(ui).find("paused 12s"), std::string::npos) << status_line(ui);

    ui.handle(ch(U' '));
    EXPECT_FALSE(ui.state().paused);
    EXPECT_NE(screen(ui, 120, 40).find("50 MB/s"), std::string::npos);
    EXPECT_EQ(status_line(ui).find("paused"), std::string::npos);
}

TEST(UiPause, CapitalPPausesLikeIftop) {
    Ui ui = started();
    ui.handle(ch(U'P'));
    EXPECT_TRUE(ui.state().paused);
    ui.handle(ch(U'P'));
    EXPECT_FALSE(ui.state().paused);
    ui.handle(ch(U'p'));  // p stays the ports toggle
    EXPECT_FALSE(ui.state().paused);
    EXPECT_TRUE(ui.state().table.numeric_ports);
}

TEST(UiPause, SelectionNeverJumpsWhilePaused) {
    Ui ui = started();
    ui.handle(ch(U'j'));
    ui.handle(ch(U'j'));
    const std::size_t selected = ui.state().connection_selected;
    const std::string remote = remotes(ui).at(selected);
    ui.handle(ch(U' '));
    for (int s = 1; s <= 5; ++s) ui.update(later(s));
    EXPECT_EQ(ui.state().connection_selected, selected);
    EXPECT_EQ(remotes(ui).at(selected), remote);
    // Keys still work on the paused table.
    ui.handle(ch(U'j'));
    EXPECT_EQ(ui.state().connection_selected, selected + 1);
    // After the resume the selection follows its flow to the new position.
    ui.handle(ch(U'k'));
    ui.handle(ch(U' '));
    EXPECT_EQ(remotes(ui).at(ui.state().connection_selected), remote);
}

TEST(UiPause, RowsThatMovedWhilePausedAreMarkedForAFewSeconds) {
    Ui ui = started();
    ui.handle(ch(U' '));
    ui.update(later(1));
    ui.update(later(2));
    ui.handle(ch(U' '));
    std::size_t marked = 0;
    for (const auto& row : ui.state().connections.rows) {
        if (!row.marked) continue;
        ++marked;
        EXPECT_EQ(remote_ip(ui, row), "151.101.2.132");
    }
    EXPECT_EQ(marked, 1u);
    // Processes (built when shown) marks its row too.
    ui.handle(ch(U'3'));
    std::size_t marked_processes = 0;
    for (const auto& row : ui.state().processes) marked_processes += row.marked ? 1 : 0;
    EXPECT_EQ(marked_processes, 1u);
    ui.handle(ch(U'1'));
    // The dot is on the row, left of the table.
    ui.resize(80, 24);
    expect_golden("overview_resumed_80x24", screen(ui, 80, 24));
    // Still there 4 s after the resume, gone after 5 s.
    ui.update(later(6));
    marked = 0;
    for (const auto& row : ui.state().connections.rows) marked += row.marked ? 1 : 0;
    EXPECT_EQ(marked, 1u);
    ui.update(later(8));
    for (const auto& row : ui.state().connections.rows) EXPECT_FALSE(row.marked);
    ui.handle(ch(U'3'));
    for (const auto& row : ui.state().processes) EXPECT_FALSE(row.marked);
}

TEST(UiPause, NothingIsMarkedWhenNothingMoved) {
    Ui ui = started();
    ui.handle(ch(U' '));
    ui.update(later(1, false));
    ui.handle(ch(U' '));
    for (const auto& row : ui.state().connections.rows) EXPECT_FALSE(row.marked);
}

TEST(UiPause, ProcessesTabPausesToo) {
    Ui ui = started();
    ui.handle(ch(U'3'));
    const std::string before = screen(ui, 120, 40);
    ui.handle(ch(U' '));
    ui.update(later(3));
    EXPECT_EQ(rows_text(screen(ui, 120, 40), 0, 39), rows_text(before, 0, 39));
    ui.handle(ch(U' '));
    EXPECT_NE(rows_text(screen(ui, 120, 40), 0, 39), rows_text(before, 0, 39));
    expect_golden("processes_resumed_80x24", screen(ui, 80, 24));
}

TEST(UiOrderFreeze, OKeepsTheOrderWhileNumbersUpdate) {
    Ui ui = started();
    const std::vector<std::string> order = remotes(ui);
    ui.handle(ch(U'o'));
    EXPECT_TRUE(ui.state().order_frozen);
    ui.update(later(1));
    // wget's flow now downloads the most, yet stays where it was, with its new rate.
    EXPECT_EQ(remotes(ui), order);
    bool new_rate_shown = false;
    for (const auto& row : ui.state().connections.rows)
        new_rate_shown |= row_cell(ui.snapshot(), row, Column::down, ui.state().table) == "50 MB/s";
    EXPECT_TRUE(new_rate_shown);
    EXPECT_NE(status_line(ui).find("order frozen"), std::string::npos);
    // o again sorts: wget first.
    ui.handle(ch(U'o'));
    EXPECT_FALSE(ui.state().order_frozen);
    EXPECT_EQ(remote_ip(ui, ui.state().connections.rows.front()), "151.101.2.132");
}

TEST(UiOrderFreeze, ASortKeyTakesTheNewOrderAndKeepsIt) {
    Ui ui = started();
    ui.handle(ch(U'o'));
    ui.handle(ch(U'S'));  // ascending now
    const std::vector<std::string> order = remotes(ui);
    ui.update(later(1));
    EXPECT_EQ(remotes(ui), order);
}

TEST(UiOrderFreeze, GroupsAndTheirMembersKeepTheirOrder) {
    Ui ui = started();
    ui.handle(ch(U'a'));
    for (std::size_t i = 0; i < ui.state().connections.rows.size(); ++i) {
        if (ui.state().connections.rows[i].kind != ConnectionRow::Kind::group) continue;
        while (ui.state().connection_selected < i) ui.handle(ch(U'j'));
        ui.handle(key(Key::right));
    }
    const std::vector<std::string> order = remotes(ui);
    ui.handle(ch(U'o'));
    ui.update(later(1));
    EXPECT_EQ(remotes(ui), order);
    std::size_t groups = 0;
    for (const auto& row : ui.state().connections.rows)
        groups += row.kind == ConnectionRow::Kind::group ? 1 : 0;
    EXPECT_GT(groups, 1u);
}

TEST(UiOrderFreeze, ProcessesKeepTheirOrder) {
    Ui ui = started();
    ui.handle(ch(U'3'));
    std::vector<std::string> order;
    for (const auto& row : ui.state().processes) order.push_back(row.key);
    ui.handle(ch(U'o'));
    ui.update(later(1));
    std::vector<std::string> now;
    for (const auto& row : ui.state().processes) now.push_back(row.key);
    EXPECT_EQ(now, order);
    ui.handle(ch(U'o'));
    EXPECT_NE(ui.state().processes.front().key, order.front());
}

}  // namespace
}  // namespace sockeye::tui
