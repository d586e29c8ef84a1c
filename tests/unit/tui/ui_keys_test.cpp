// Key and mouse handling: sorting, the filter prompt, selection stability,
// grouping, toggles, tabs, mouse click / double-click / wheel.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "tui/ui.hpp"
#include "tui/widgets/tab_bar.hpp"
#include "unit/tui/ui_driver.hpp"
#include "unit/tui/ui_fixture.hpp"

namespace sockeye::tui {
namespace {

using testing::ch;
using testing::key;
using testing::make_snapshot;

InputEvent mouse(MouseAction a, int x, int y, int clicks = 1) {
    InputEvent e;
    e.kind = InputEvent::Kind::mouse;
    e.mouse = a;
    e.button = a == MouseAction::press ? MouseButton::left : MouseButton::none;
    e.x = x;
    e.y = y;
    e.clicks = clicks;
    return e;
}
void type(Ui& ui, const std::string& text) {
    for (char c : text) ui.handle(ch(static_cast<char32_t>(static_cast<unsigned char>(c))));
}

Ui fresh_ui() {
    Ui ui;
    ui.resize(120, 40);
    ui.update(make_snapshot());
    return ui;
}

// The value of a column in each flow row, top to bottom.
std::vector<double> column_numbers(const Ui& ui, Column c) {
    std::vector<double> out;
    for (const auto& row : ui.state().connections.rows)
        out.push_back(row_number(ui.snapshot(), row, c, ui.state().table));
    return out;
}
std::vector<std::string> column_texts(const Ui& ui, Column c) {
    std::vector<std::string> out;
    for (const auto& row : ui.state().connections.rows)
        out.push_back(row_cell(ui.snapshot(), row, c, ui.state().table));
    return out;
}

TEST(UiKeys, DefaultSortIsDownLargestFirstAndSReverses) {
    Ui ui = fresh_ui();
    auto down = column_numbers(ui, Column::down);
    ASSERT_EQ(down.size(), 7u);  // active flows only
    EXPECT_TRUE(std::is_sorted(down.rbegin(), down.rend()));
    ui.handle(ch(U'S'));
    down = column_numbers(ui, Column::down);
    EXPECT_TRUE(std::is_sorted(down.begin(), down.end()));
}

TEST(UiKeys, SortCyclesThroughColumns) {
    Ui ui = fresh_ui();
    ui.handle(ch(U's'));
    EXPECT_EQ(ui.state().table.sort, Column::up);
    auto up = column_numbers(ui, Column::up);
    EXPECT_TRUE(std::is_sorted(up.rbegin(), up.rend()));
    ui.handle(ch(U's'));
    ui.handle(ch(U's'));
    ui.handle(ch(U's'));  // total_down, total_up, then wraps to process
    EXPECT_EQ(ui.state().table.sort, Column::process);
    auto names = column_texts(ui, Column::process);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_EQ(names.front(), "curl");
}

TEST(UiKeys, FilterPromptAppliesAndBadFilterKeepsTheLastGoodOne) {
    Ui ui = fresh_ui();
    ui.handle(ch(U'/'));
    ASSERT_TRUE(ui.state().prompt.open);
    type(ui, "process:curl");
    ui.handle(key(Key::enter));
    EXPECT_FALSE(ui.state().prompt.open);
    EXPECT_EQ(ui.filter_text(), "process:curl");
    ASSERT_EQ(ui.state().connections.rows.size(), 1u);
    EXPECT_EQ(ui.selected_flow()->source_port, 51544);

    // A bad filter: the prompt stays open with the error; the table keeps
    // the last good filter.
    ui.handle(ch(U'/'));
    EXPECT_EQ(ui.state().prompt.text, "process:curl");
    type(ui, " or prot:tcp");
    ui.handle(key(Key::enter));
    EXPECT_TRUE(ui.state().prompt.open);
    ASSERT_TRUE(ui.state().prompt.error.has_value());
    EXPECT_NE(ui.state().prompt.error->message.find("prot"), std::string::npos);
    EXPECT_EQ(ui.filter_text(), "process:curl");
    EXPECT_EQ(ui.state().connections.rows.size(), 1u);
    // The error is on screen.
    Buffer buf(120, 40);
    ui.render(buf);
    EXPECT_NE(buf.to_text().find("✗"), std::string::npos);

    // Esc cancels: still the last good filter.
    ui.handle(key(Key::escape));
    EXPECT_FALSE(ui.state().prompt.open);
    EXPECT_EQ(ui.filter_text(), "process:curl");

    // Editing: backspace, then an empty filter shows everything again.
    ui.handle(ch(U'/'));
    for (int i = 0; i < 20; ++i) ui.handle(key(Key::backspace));
    EXPECT_EQ(ui.state().prompt.text, "");
    ui.handle(key(Key::enter));
    EXPECT_EQ(ui.state().connections.rows.size(), 7u);
}

TEST(UiKeys, KeysInThePromptAreText) {
    Ui ui = fresh_ui();
    ui.handle(ch(U'/'));
    type(ui, "q");  // not quit
    EXPECT_EQ(ui.state().prompt.text, "q");
    EXPECT_EQ(ui.handle(ch(U'x')), UiAction::redraw);
    EXPECT_EQ(ui.state().prompt.text, "qx");
}

TEST(UiKeys, SelectionStaysOnTheSameFlowAcrossRefreshes) {
    Ui ui = fresh_ui();
    // Select the curl TLS flow (second by Down).
    ui.handle(ch(U'j'));
    ASSERT_NE(ui.selected_flow(), nullptr);
    const snapshot::FlowId id = snapshot::FlowId::of(*ui.selected_flow());
    EXPECT_EQ(ui.state().connection_selected, 1u);
    // A refresh where curl's flow is slowest moves it to another row.
    auto snap = std::make_shared<snapshot::Snapshot>(*make_snapshot());
    snap->ts_ns += testing::kSecond;
    for (auto& f : snap->flows) {
        if (f.source_port == 51544) f.received_bytes_per_s = 0.5;
    }
    ui.update(snap);
    ASSERT_NE(ui.selected_flow(), nullptr);
    EXPECT_TRUE(snapshot::FlowId::of(*ui.selected_flow()) == id);
    EXPECT_NE(ui.state().connection_selected, 1u);
    // The flow disappears: the selection stays at the same position.
    auto gone = std::make_shared<snapshot::Snapshot>(*snap);
    gone->flows.erase(std::remove_if(gone->flows.begin(), gone->flows.end(),
                                     [](const auto& f) { return f.source_port == 51544; }),
                      gone->flows.end());
    const std::size_t before = ui.state().connection_selected;
    ui.update(gone);
    EXPECT_EQ(ui.state().connection_selected, std::min(before, ui.state().connections.rows.size() - 1));
}

TEST(UiKeys, NavigationKeysClampAtTheEnds) {
    Ui ui = fresh_ui();
    ui.handle(ch(U'G'));
    EXPECT_EQ(ui.state().connection_selected, 6u);
    ui.handle(ch(U'j'));
    EXPECT_EQ(ui.state().connection_selected, 6u);
    ui.handle(ch(U'g'));
    EXPECT_EQ(ui.state().connection_selected, 0u);
    ui.handle(key(Key::up));
    EXPECT_EQ(ui.state().connection_selected, 0u);
    ui.handle(key(Key::page_down));
    EXPECT_EQ(ui.state().connection_selected, 6u);
    ui.handle(key(Key::page_up));
    EXPECT_EQ(ui.state().connection_selected, 0u);
}

TEST(UiKeys, GroupingExpandsAndCollapses) {
    Ui ui = fresh_ui();
    ui.handle(ch(U'a'));
    ASSERT_TRUE(ui.state().table.grouped);
    const auto& rows = ui.state().connections.rows;
    // Six owners (firefox has two flows), all collapsed.
    ASSERT_EQ(rows.size(), 6u);
    for (const auto& r : rows) EXPECT_EQ(r.kind, ConnectionRow::Kind::group);
    EXPECT_EQ(rows[0].group_key, "3100:firefox-esr");
    EXPECT_EQ(rows[0].group_size, 2u);
    bool unknown = false;
    for (const auto& r : rows) unknown = unknown || row_cell(ui.snapshot(), r, Column::process, ui.state().table).rfind("unknown (no_socket)", 0) == 0;
    EXPECT_TRUE(unknown);

    ui.handle(key(Key::enter));  // expand firefox
    EXPECT_EQ(ui.state().connections.rows.size(), 8u);
    EXPECT_EQ(ui.state().connections.rows[1].kind, ConnectionRow::Kind::flow);
    ui.handle(ch(U'j'));
    ui.handle(key(Key::enter));  // Enter on a member opens details
    EXPECT_EQ(ui.state().tab, Tab::details);
    ui.handle(key(Key::escape));
    EXPECT_EQ(ui.state().tab, Tab::overview);
    ui.handle(key(Key::left));  // collapse from a member: back on the group
    EXPECT_EQ(ui.state().connections.rows.size(), 6u);
    EXPECT_EQ(ui.state().connection_selected, 0u);
    ui.handle(key(Key::right));
    EXPECT_EQ(ui.state().connections.rows.size(), 8u);
}

TEST(UiKeys, TogglesForEndedFlowsPortsNamesAndClear) {
    Ui ui = fresh_ui();
    EXPECT_EQ(ui.state().connections.rows.size(), 7u);
    ui.handle(ch(U't'));
    EXPECT_EQ(ui.state().connections.rows.size(), 8u);
    ui.handle(ch(U'x'));  // clears the ended flow (and history)
    EXPECT_EQ(ui.state().connections.rows.size(), 7u);
    EXPECT_TRUE(ui.state().history.samples().empty());

    auto services = column_texts(ui, Column::service);
    EXPECT_NE(std::find(services.begin(), services.end(), "https"), services.end());
    ui.handle(ch(U'p'));
    services = column_texts(ui, Column::service);
    EXPECT_EQ(std::find(services.begin(), services.end(), "https"), services.end());
    EXPECT_NE(std::find(services.begin(), services.end(), "443"), services.end());

    auto remotes = column_texts(ui, Column::remote);
    EXPECT_NE(std::find(remotes.begin(), remotes.end(), "example.com"), remotes.end());
    ui.handle(ch(U'd'));
    remotes = column_texts(ui, Column::remote);
    EXPECT_EQ(std::find(remotes.begin(), remotes.end(), "example.com"), remotes.end());
    EXPECT_NE(std::find(remotes.begin(), remotes.end(), "93.184.216.34"), remotes.end());
}

TEST(UiKeys, WShowsCountryAndNetworkAfterRemoteWhenGeoIsOn) {
    Ui ui = fresh_ui();
    const auto cols = ui.state().columns;
    EXPECT_EQ(std::find(cols.begin(), cols.end(), Column::country), cols.end()) << "off by default";
    ui.handle(ch(U'w'));
    EXPECT_EQ(ui.state().columns, cols) << "no databases: nothing to show";
    EXPECT_NE(ui.state().notice.find("no geo databases"), std::string::npos) << ui.state().notice;

    auto snap = std::make_shared<snapshot::Snapshot>(*make_snapshot());
    snap->geo_active = true;
    snap->geo_missing = {"no city database: cities not shown"};
    for (auto& f : snap->flows) {
        f.remote_geo = std::make_shared<snapshot::GeoInfo>(
            f.destination_ip.is_v4() && f.destination_ip.bytes[0] == 93
                ? snapshot::GeoInfo{core::AddressScope::public_, "US", "Los Angeles", 15133, "EDGECAST"}
                : snapshot::GeoInfo{core::AddressScope::private_, "", "", 0, ""});
    }
    ui.update(snap);
    ui.handle(ch(U'w'));
    const auto shown = ui.state().columns;
    const auto remote = std::find(shown.begin(), shown.end(), Column::remote);
    ASSERT_NE(remote, shown.end());
    ASSERT_LT(remote + 2, shown.end());
    EXPECT_EQ(remote[1], Column::country);
    EXPECT_EQ(remote[2], Column::network);
    EXPECT_EQ(ui.state().notice, "no city database: cities not shown") << "what is missing, said once";
    const auto countries = column_texts(ui, Column::country);
    EXPECT_NE(std::find(countries.begin(), countries.end(), "US Los Angeles"), countries.end());
    EXPECT_NE(std::find(countries.begin(), countries.end(), "private"), countries.end());
    const auto networks = column_texts(ui, Column::network);
    EXPECT_NE(std::find(networks.begin(), networks.end(), "AS15133 EDGECAST"), networks.end());
    ui.handle(ch(U'w'));
    EXPECT_EQ(ui.state().columns, cols) << "w again hides them";

    // Configured to show nothing but Country: w leaves it (no empty table).
    UiOptions only_country;
    only_country.columns = {Column::country};
    Ui narrow(only_country);
    narrow.resize(120, 40);
    narrow.update(snap);
    narrow.handle(ch(U'w'));
    EXPECT_EQ(narrow.state().columns, std::vector<Column>{Column::country});
}

TEST(UiKeys, TabsHelpAndQuit) {
    Ui ui = fresh_ui();
    ui.handle(key(Key::tab));
    EXPECT_EQ(ui.state().tab, Tab::details);
    ui.handle(ch(U'4'));
    EXPECT_EQ(ui.state().tab, Tab::graph);
    ui.handle(key(Key::back_tab));
    EXPECT_EQ(ui.state().tab, Tab::processes);
    ui.handle(key(Key::f1));
    EXPECT_TRUE(ui.state().help_open);
    EXPECT_EQ(ui.handle(ch(U'q')), UiAction::redraw);  // closes the help only
    EXPECT_FALSE(ui.state().help_open);
    EXPECT_EQ(ui.handle(ch(U'q')), UiAction::quit);
    InputEvent ctrl_c = ch(U'c');
    ctrl_c.modifiers = mod::ctrl;
    EXPECT_EQ(ui.handle(ctrl_c), UiAction::quit);
    EXPECT_EQ(ui.handle(ch(U'z')), UiAction::none);
}

TEST(UiKeys, ProcessesEnterShowsTheProcessConnections) {
    Ui ui = fresh_ui();
    ui.handle(ch(U'3'));
    ui.handle(ch(U'g'));  // by pid
    ASSERT_FALSE(ui.state().processes.empty());
    EXPECT_EQ(ui.state().processes[0].label, "firefox-esr");
    EXPECT_EQ(ui.state().processes[0].connections, 2u);
    ui.handle(ch(U'j'));  // curl
    ui.handle(key(Key::enter));
    EXPECT_EQ(ui.state().tab, Tab::overview);
    EXPECT_TRUE(ui.state().table.grouped);
    const auto& row = ui.state().connections.rows[ui.state().connection_selected];
    EXPECT_EQ(row.group_key, "4242:curl");
    EXPECT_TRUE(row.expanded);
}

TEST(UiKeys, ProcessesNameTheirPeersCountriesAndNetworks) {
    Ui ui = fresh_ui();
    auto snap = std::make_shared<snapshot::Snapshot>(*make_snapshot());
    snap->geo_active = true;
    const auto geo = [](const char* country, std::uint32_t asn, const char* org) {
        return std::make_shared<snapshot::GeoInfo>(
            snapshot::GeoInfo{core::AddressScope::public_, country, "", asn, org});
    };
    // Every flow of the fixture from DE, curl's biggest from US; private
    // ranges count towards no country.
    for (auto& f : snap->flows) f.remote_geo = geo("DE", 3320, "DTAG");
    std::size_t curl_flows = 0;
    for (auto& f : snap->flows) {
        if (!f.process || f.process->name != "curl") continue;
        ++curl_flows;
        f.remote_geo = curl_flows == 1 ? geo("US", 15133, "EDGECAST")
                                       : std::make_shared<snapshot::GeoInfo>(snapshot::GeoInfo{
                                             core::AddressScope::private_, "", "", 0, ""});
    }
    ASSERT_GE(curl_flows, 1u);
    ui.update(snap);
    ui.handle(ch(U'3'));
    const auto& rows = ui.state().processes;
    const auto curl = std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.label == "curl"; });
    ASSERT_NE(curl, rows.end());
    EXPECT_EQ(curl->top_countries, std::vector<std::string>{"US"});
    EXPECT_EQ(curl->top_networks, std::vector<std::string>{"AS15133 EDGECAST"});
    EXPECT_EQ(rows.front().top_countries, std::vector<std::string>{"DE"}) << rows.front().label;
}

// Two processes of one Kubernetes pod (two containers) make one row, named
// after the pod; a container name with terminal controls draws as text.
TEST(UiKeys, ProcessesByContainerGroupsAPodAndEnterFiltersToIt) {
    auto snap = std::make_shared<snapshot::Snapshot>(*make_snapshot());
    const auto in_pod = [](const snapshot::FlowRecord& f, int pid, const char* name, const char* container) {
        auto p = std::make_shared<snapshot::ProcessInfo>(*f.process);
        p->pid = pid;
        p->name = name;
        p->container_kind = "kubernetes";
        p->container = "0a1b2c3d-0000-1111-2222-333344445555";
        p->container_name = container;
        p->pod = "web-7d4b9c-xk2p9";
        p->pod_namespace = "shop";
        return p;
    };
    ASSERT_GE(snap->flows.size(), 4u);
    snap->flows[0].process = in_pod(snap->flows[0], 9001, "nginx", "proxy\x1b]0;owned\x07");
    snap->flows[3].process = in_pod(snap->flows[3], 9002, "app", "app");
    Ui ui;
    ui.resize(120, 40);
    ui.update(snap);
    ui.handle(ch(U'3'));
    EXPECT_EQ(ui.state().process_grouping, ProcessGrouping::program);
    ui.handle(ch(U'g'));
    EXPECT_EQ(ui.state().process_grouping, ProcessGrouping::process);
    ui.handle(ch(U'g'));
    EXPECT_EQ(ui.state().process_grouping, ProcessGrouping::container);
    const auto& rows = ui.state().processes;
    const auto pod = std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.label == "shop/web-7d4b9c-xk2p9"; });
    ASSERT_NE(pod, rows.end());
    EXPECT_EQ(pod->process_count, 2u);
    EXPECT_EQ(pod->connections, 2u);
    EXPECT_EQ(pod->members.size(), 2u);
    const std::size_t at = static_cast<std::size_t>(pod - rows.begin());
    while (ui.state().process_selected < at) ui.handle(ch(U'j'));
    Buffer buf(120, 40);
    ui.render(buf);
    const std::string text = buf.to_text();
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
    EXPECT_EQ(text.find('\x07'), std::string::npos);
    EXPECT_NE(text.find("shop/web-7d4b9c-xk2p9"), std::string::npos);
    // Enter: the pod's connections, by the filter that names its id.
    ui.handle(key(Key::enter));
    EXPECT_EQ(ui.state().tab, Tab::overview);
    EXPECT_EQ(ui.state().prompt.text, "container:0a1b2c3d-000");
    std::size_t flows = 0;
    for (const auto& row : ui.state().connections.rows)
        if (row.kind == ConnectionRow::Kind::flow) ++flows;
    EXPECT_EQ(ui.state().connections.rows.size(), 2u);  // two process groups, closed
    EXPECT_EQ(flows, 0u);
    // Back: g twice more (by remote host, then) one row per program.
    ui.handle(ch(U'3'));
    ui.handle(ch(U'g'));
    EXPECT_EQ(ui.state().process_grouping, ProcessGrouping::remote_host);
    ui.handle(ch(U'g'));
    EXPECT_EQ(ui.state().process_grouping, ProcessGrouping::program);
}

TEST(UiKeys, PeaksAreKeptAcrossRefreshes) {
    Ui ui;
    ui.update(make_snapshot(15));  // factor 2.0
    ui.update(make_snapshot(0));   // factor 1.0
    ui.handle(ch(U'3'));
    const auto& curl = *std::find_if(ui.state().processes.begin(), ui.state().processes.end(),
                                     [](const auto& p) { return p.label == "curl"; });
    EXPECT_DOUBLE_EQ(curl.down, 1'500'000);
    EXPECT_DOUBLE_EQ(curl.peak.down, 3'000'000);
}

// Mouse: the table's first row is at y = 2 (tab bar, header).
TEST(UiMouse, ClickSelectsDoubleClickOpensWheelScrolls) {
    Ui ui = fresh_ui();
    Buffer buf(120, 40);
    ui.render(buf);
    EXPECT_EQ(ui.handle(mouse(MouseAction::press, 10, 4)), UiAction::redraw);
    EXPECT_EQ(ui.state().connection_selected, 2u);
    ui.handle(mouse(MouseAction::wheel_down, 10, 4));
    EXPECT_EQ(ui.state().connection_selected, 5u);
    ui.handle(mouse(MouseAction::wheel_up, 10, 4));
    EXPECT_EQ(ui.state().connection_selected, 2u);
    // Below the last row: nothing.
    EXPECT_EQ(ui.handle(mouse(MouseAction::press, 10, 30)), UiAction::none);
    ui.handle(mouse(MouseAction::press, 10, 3, 2));
    EXPECT_EQ(ui.state().tab, Tab::details);
    ASSERT_TRUE(ui.state().details.has_value());
    EXPECT_EQ(ui.state().details->source_port, 51544);
}

TEST(UiMouse, ClickOnATabAndOnAHeader) {
    Ui ui = fresh_ui();
    Buffer buf(120, 40);
    ui.render(buf);
    const auto tabs = tab_rects(0);
    ui.handle(mouse(MouseAction::press, tabs[3].x + 1, 0));
    EXPECT_EQ(ui.state().tab, Tab::graph);
    ui.handle(mouse(MouseAction::press, tabs[0].x, 0));
    EXPECT_EQ(ui.state().tab, Tab::overview);
    // Column "Process" starts at x = 1 on the header row (y = 1).
    ui.handle(mouse(MouseAction::press, 2, 1));
    EXPECT_EQ(ui.state().table.sort, Column::process);
    ui.handle(mouse(MouseAction::press, 2, 1));
    EXPECT_TRUE(ui.state().table.sort_reverse);
}

TEST(UiRender, RowsFadeTowardsTheirTimeout) {
    Ui ui;
    UiOptions o;
    ui = Ui(o);
    ui.update(make_snapshot());
    Buffer buf(120, 40);
    ui.render(buf);
    // Row 0 (selected) is QUIC; compare a fresh row (curl, y=3) with the
    // idle firefox TLS flow (fade 0.8, y=7).
    const auto& rows = ui.state().connections.rows;
    ASSERT_GT(rows[5].fade, 0.7);
    EXPECT_EQ(rows[1].fade, 0.0);
    EXPECT_NE(buf.at(2, 3).style.fg, buf.at(2, 7).style.fg);
}

TEST(UiRender, EveryTabDrawsAtManySizes) {
    Ui ui = fresh_ui();
    ui.handle(ch(U'j'));
    ui.handle(key(Key::enter));
    for (int tab = 0; tab < 4; ++tab) {
        for (auto [w, h] : {std::pair{1, 1}, {20, 5}, {40, 10}, {80, 24}, {137, 41}, {300, 100}}) {
            ui.handle(ch(static_cast<char32_t>(U'1' + static_cast<char32_t>(tab))));
            Buffer buf(w, h);
            ui.render(buf);
            EXPECT_EQ(buf.width(), w);
            const std::string text = buf.to_text();
            if (w >= 80) {
                EXPECT_NE(text.find("sockeye"), std::string::npos);
            }
        }
    }
}

TEST(UiOptionsCheck, ReportsBadThemeAndFilter) {
    UiOptions o;
    EXPECT_EQ(check_options(o), "");
    o.theme = "neon";
    EXPECT_NE(check_options(o).find("unknown theme 'neon'"), std::string::npos);
    o.theme = "mono";
    o.filter = "port:";
    EXPECT_NE(check_options(o).find("bad filter"), std::string::npos);
    EXPECT_EQ(column_from_name("total_down"), Column::total_down);
    EXPECT_FALSE(column_from_name("nope").has_value());
}

TEST(UiOptionsCheck, BadInitialFilterOpensThePrompt) {
    UiOptions o;
    o.filter = "prot:tcp";
    Ui ui(o);
    EXPECT_TRUE(ui.state().prompt.open);
    EXPECT_TRUE(ui.state().prompt.error.has_value());
    EXPECT_TRUE(ui.state().filter.matches_everything());
}

TEST(UiOptionsCheck, ColumnsAndInitialSortAreHonoured) {
    UiOptions o;
    o.columns = {Column::remote, Column::total_down};
    o.table.sort = Column::total_down;
    o.filter = "proto:tcp";
    Ui ui(o);
    ui.update(make_snapshot());
    auto totals = column_numbers(ui, Column::total_down);
    EXPECT_TRUE(std::is_sorted(totals.rbegin(), totals.rend()));
    EXPECT_EQ(totals.size(), 4u);  // the active TCP flows
    Buffer buf(80, 24);
    ui.render(buf);
    const std::string text = buf.to_text();
    EXPECT_NE(text.find("Total down▼"), std::string::npos);
    EXPECT_EQ(text.find("Service"), std::string::npos);
}

// Not a pass/fail benchmark: prints the cost of a refresh with 1000 flows
// at 200x60 so regressions show in the log. The whole UI's budget is 2% of
// a core at one refresh per second, i.e. 20 ms per refresh.
TEST(UiPerf, RenderThousandFlowsAt200x60) {
    using Clock = std::chrono::steady_clock;
    Ui ui;
    ui.resize(200, 60);
    auto big = testing::make_big_snapshot(1000);
    const auto t0 = Clock::now();
    constexpr int kUpdates = 20;
    for (int i = 0; i < kUpdates; ++i) ui.update(big);
    const auto t1 = Clock::now();
    Buffer buf(200, 60);
    constexpr int kRenders = 50;
    for (int i = 0; i < kRenders; ++i) ui.render(buf);
    const auto t2 = Clock::now();
    ui.handle(ch(U'a'));
    for (int i = 0; i < kRenders; ++i) ui.render(buf);
    const auto t3 = Clock::now();
    const double update_ms = std::chrono::duration<double, std::milli>(t1 - t0).count() / kUpdates;
    const double render_ms = std::chrono::duration<double, std::milli>(t2 - t1).count() / kRenders;
    const double grouped_ms = std::chrono::duration<double, std::milli>(t3 - t2).count() / kRenders;
    std::printf("[perf] 1000 flows 200x60: update %.3f ms, render %.3f ms (grouped %.3f ms); "
                "at 1 refresh/s that is %.2f%% of a core\n",
                update_ms, render_ms, grouped_ms, (update_ms + render_ms) / 10.0);
    EXPECT_EQ(ui.state().connections.flows_shown, 1000u);
    // No time bar: on a shared machine, or under qemu-user (4.1 s seen for
    // the aarch64 build), a bar only flakes; the printed number is the measure.
}

}  // namespace
}  // namespace sockeye::tui
