// The Processes tab by program (the default): many runs of one program are
// one row with a count, opened on their pids with Enter or →; g cycles to
// per-pid and per-container rows.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

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

// The fixture plus 40 more curl runs, each with its own pid and connection.
std::shared_ptr<const snapshot::Snapshot> forty_curls() {
    auto snap = std::make_shared<snapshot::Snapshot>(*make_snapshot());
    const snapshot::FlowRecord first = snap->flows.front();  // curl's TLS flow
    for (int i = 0; i < 40; ++i) {
        auto f = first;
        f.source_port = static_cast<std::uint16_t>(52000 + i);
        f.received_bytes_per_s = 1000.0 * (i + 1);
        f.sent_bytes_per_s = 100;
        f.bytes_received = 10'000;
        f.bytes_sent = 1'000;
        f.process = testing::process(5000 + i, "curl", "/usr/bin/curl",
                                     "curl -sS https://example.com/" + std::to_string(i), 1000, "alice",
                                     {{4200, "bash"}});
        snap->flows.push_back(std::move(f));
    }
    return snap;
}

Ui processes_ui() {
    Ui ui;
    ui.resize(80, 24);
    ui.update(forty_curls());
    ui.handle(ch(U'3'));
    return ui;
}

std::size_t row_of(const Ui& ui, const std::string& label) {
    const auto& rows = ui.state().processes;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].label == label && !rows[i].member) return i;
    ADD_FAILURE() << "no row " << label;
    return 0;
}

void select(Ui& ui, std::size_t row) {
    while (ui.state().process_selected < row) ui.handle(ch(U'j'));
    while (ui.state().process_selected > row) ui.handle(ch(U'k'));
}

TEST(UiPrograms, FortyOneCurlRunsAreOneRowWithACount) {
    Ui ui = processes_ui();
    EXPECT_EQ(ui.state().process_grouping, ProcessGrouping::program);
    std::size_t curl_rows = 0;
    for (const auto& row : ui.state().processes) curl_rows += row.label == "curl" ? 1u : 0u;
    EXPECT_EQ(curl_rows, 1u);
    const auto& curl = ui.state().processes[row_of(ui, "curl")];
    EXPECT_EQ(curl.process_count, 41u);
    EXPECT_EQ(curl.connections, 41u);
    EXPECT_EQ(curl.members.size(), 41u);
    // The fixture's other programs are one row each, as by pid.
    EXPECT_EQ(ui.state().processes.size(), 6u);
}

TEST(UiPrograms, EnterAndArrowsOpenAndCloseAProgramOnItsPids) {
    Ui ui = processes_ui();
    const std::size_t curl = row_of(ui, "curl");
    select(ui, curl);
    ui.handle(key(Key::enter));
    ASSERT_EQ(ui.state().processes.size(), 6u + 41u);
    EXPECT_TRUE(ui.state().processes[curl].expanded);
    for (std::size_t i = curl + 1; i <= curl + 41; ++i) {
        EXPECT_TRUE(ui.state().processes[i].member) << i;
        EXPECT_EQ(ui.state().processes[i].label, "curl");
        ASSERT_NE(ui.state().processes[i].process, nullptr);
    }
    // The selection stays on the program; the first process is the busiest.
    EXPECT_EQ(ui.state().process_selected, curl);
    EXPECT_EQ(ui.state().processes[curl + 1].process->pid, 4242);
    EXPECT_EQ(ui.state().processes[curl + 2].process->pid, 5039);
    ui.handle(ch(U'j'));
    ui.handle(ch(U'j'));
    expect_golden("processes_program_open_80x24", [&] {
        Buffer buf(80, 24);
        ui.render(buf);
        return buf.to_text();
    }());
    // ← on a pid closes its program and selects it.
    ui.handle(key(Key::left));
    EXPECT_EQ(ui.state().processes.size(), 6u);
    EXPECT_EQ(ui.state().process_selected, curl);
    ui.handle(key(Key::right));
    EXPECT_EQ(ui.state().processes.size(), 47u);
    ui.handle(key(Key::enter));  // Enter toggles
    EXPECT_EQ(ui.state().processes.size(), 6u);
}

TEST(UiPrograms, EnterOnAPidShowsItsConnections) {
    Ui ui = processes_ui();
    select(ui, row_of(ui, "curl"));
    ui.handle(key(Key::right));
    ui.handle(ch(U'j'));
    ui.handle(ch(U'j'));  // pid 5039
    ui.handle(key(Key::enter));
    EXPECT_EQ(ui.state().tab, Tab::overview);
    const auto& row = ui.state().connections.rows[ui.state().connection_selected];
    EXPECT_EQ(row.group_key, "5039:curl");
    EXPECT_TRUE(row.expanded);
}

TEST(UiPrograms, GCyclesProgramPidContainer) {
    Ui ui = processes_ui();
    ui.handle(ch(U'g'));
    EXPECT_EQ(ui.state().process_grouping, ProcessGrouping::process);
    std::size_t curl_rows = 0;
    for (const auto& row : ui.state().processes) curl_rows += row.label == "curl" ? 1u : 0u;
    EXPECT_EQ(curl_rows, 41u);
    ui.handle(ch(U'g'));
    EXPECT_EQ(ui.state().process_grouping, ProcessGrouping::container);
    ui.handle(ch(U'g'));
    EXPECT_EQ(ui.state().process_grouping, ProcessGrouping::remote_host);
    ui.handle(ch(U'g'));
    EXPECT_EQ(ui.state().process_grouping, ProcessGrouping::program);
    // c is no longer a grouping key.
    ui.handle(ch(U'c'));
    EXPECT_EQ(ui.state().process_grouping, ProcessGrouping::program);
}

// bandwhich's remote-address table: one row per remote, the programs
// talking to it, and its connections; Enter opens them in the overview.
TEST(UiPrograms, ByRemoteHostOneRowPerPeerWithItsPrograms) {
    Ui ui = processes_ui();
    while (ui.state().process_grouping != ProcessGrouping::remote_host) ui.handle(ch(U'g'));
    const auto& rows = ui.state().processes;
    const std::size_t at = row_of(ui, "example.com");
    ASSERT_LT(at, rows.size());
    const ProcessRow& host = rows[at];
    // The fixture's two curl flows to example.com (one ended, not shown) and
    // the 40 runs.
    EXPECT_EQ(host.connections, 41u);
    EXPECT_EQ(host.members, std::vector<std::string>{"curl"});
    EXPECT_EQ(host.process_count, 1u);
    EXPECT_EQ(host.key, "host:" + ui.snapshot().flows.front().destination_ip.to_string());
    std::uint64_t down = 0;
    for (const auto& f : ui.snapshot().flows)
        if (f.remote_name == "example.com" && f.end_reason == snapshot::EndReason::active) down += f.bytes_received;
    EXPECT_EQ(host.total_down, down);
    // Every remote once.
    std::set<std::string> keys;
    for (const auto& r : rows) EXPECT_TRUE(keys.insert(r.key).second) << r.key;
    while (ui.state().process_selected < at) ui.handle(ch(U'j'));
    const std::string text = testing::screen(ui, 80, 24);
    EXPECT_NE(text.find("Remote"), std::string::npos) << text;
    EXPECT_NE(text.find("programs"), std::string::npos) << text;
    ui.handle(key(Key::enter));
    EXPECT_EQ(ui.state().tab, Tab::overview);
    EXPECT_EQ(ui.state().prompt.text, "dst:" + ui.snapshot().flows.front().destination_ip.to_string());
    EXPECT_TRUE(ui.state().table.grouped);
    std::size_t groups = 0;
    for (const auto& row : ui.state().connections.rows) groups += row.kind == ConnectionRow::Kind::group;
    EXPECT_EQ(groups, 41u);  // one per curl process
}

TEST(UiPrograms, ProgramPeaksAreKept) {
    Ui ui;
    ui.update(make_snapshot(15));  // factor 2.0
    ui.update(make_snapshot(0));
    ui.handle(ch(U'3'));
    for (const auto& row : ui.state().processes) {
        if (row.label != "curl") continue;
        EXPECT_GT(row.peak.down, row.down);
        return;
    }
    ADD_FAILURE() << "no curl row";
}

}  // namespace
}  // namespace sockeye::tui
