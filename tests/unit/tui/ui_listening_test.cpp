// The Listening tab: the host's listening sockets with their processes, and
// whether traffic reached them; Enter opens a port's connections.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tui/views/listening_table.hpp"
#include "unit/tui/ui_driver.hpp"
#include "unit/tui/view_golden.hpp"

namespace sockeye::tui {
namespace {

using testing::ch;
using testing::expect_golden;
using testing::ip;
using testing::key;
using testing::make_snapshot;
using testing::screen;

snapshot::ListeningSocket socket_on(std::uint8_t proto, const std::string& address, std::uint16_t port,
                                    std::shared_ptr<const snapshot::ProcessInfo> process) {
    snapshot::ListeningSocket s;
    s.ip_proto = proto;
    s.address = ip(address);
    s.port = port;
    s.process = std::move(process);
    return s;
}

snapshot::FlowRecord inbound(const std::string& local, std::uint16_t port, std::uint64_t in,
                             std::uint64_t out, bool active = true) {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::tcp;
    f.ip_proto = 6;
    f.source_ip = ip(local);
    f.source_port = port;
    f.destination_ip = ip("198.51.100.7");
    f.destination_port = 50000;
    f.bytes_received = in;
    f.bytes_sent = out;
    f.end_reason = active ? snapshot::EndReason::active : snapshot::EndReason::fin;
    return f;
}

std::shared_ptr<const snapshot::Snapshot> listening_snapshot() {
    auto snap = std::make_shared<snapshot::Snapshot>(*make_snapshot());
    auto web = testing::process(800, "python3", "/usr/bin/python3", "python3 -m http.server 8080", 1000,
                                "alice", {});
    auto local = testing::process(801, "redis-server", "/usr/bin/redis-server", "redis-server", 0,
                                  "root", {});
    snap->listening = {socket_on(6, "0.0.0.0", 8080, web), socket_on(6, "127.0.0.1", 8080, local),
                       socket_on(17, "0.0.0.0", 5353, nullptr), socket_on(6, "::", 22, nullptr)};
    snap->listening_read = true;
    snap->flows.push_back(inbound("192.168.1.10", 8080, 1000, 50000));
    snap->flows.push_back(inbound("192.168.1.10", 8080, 500, 20000, false));
    snap->flows.push_back(inbound("127.0.0.1", 8080, 10, 20));
    return snap;
}

TEST(Listening, EachFlowCountsForTheMostSpecificSocket) {
    const auto rows = build_listening_table(*listening_snapshot());
    ASSERT_EQ(rows.size(), 4u);
    // TCP by port (22, then both 8080s with the wildcard first), then UDP.
    EXPECT_EQ(listening_endpoint(rows[0]), "*:22");
    EXPECT_EQ(listening_endpoint(rows[1]), "*:8080");
    EXPECT_EQ(listening_endpoint(rows[2]), "127.0.0.1:8080");
    EXPECT_EQ(listening_proto(rows[3]), "UDP");
    EXPECT_EQ(rows[1].connections, 1u);  // the ended one counts bytes, not as a connection
    EXPECT_EQ(rows[1].bytes_in, 1500u);
    EXPECT_EQ(rows[1].bytes_out, 70000u);
    EXPECT_EQ(rows[2].connections, 1u);
    EXPECT_EQ(rows[2].bytes_in, 10u);
    EXPECT_FALSE(rows[0].reached);
    EXPECT_FALSE(rows[3].reached);
}

TEST(Listening, TheTabListsThemAndEnterOpensAPortsConnections) {
    Ui ui;
    ui.resize(120, 40);
    ui.update(listening_snapshot());
    ui.handle(ch(U'5'));
    ASSERT_EQ(ui.state().tab, Tab::listening);
    expect_golden("listening_120x40", screen(ui, 120, 40));
    ui.handle(ch(U'j'));  // *:8080, python3
    ui.handle(key(Key::enter));
    EXPECT_EQ(ui.state().tab, Tab::overview);
    EXPECT_EQ(ui.state().prompt.text, "proto:tcp and sport:8080");
    EXPECT_EQ(ui.state().connections.flows_shown, 2u);  // the active ones (t shows the ended one)
}

TEST(Listening, KStopsTheSocketsProcess) {
    std::vector<int> pids;
    Ui ui;
    ui.resize(120, 40);
    ui.allow_signals([&](const snapshot::ProcessInfo& p, int) -> core::Result<void> {
        pids.push_back(p.pid);
        return {};
    });
    ui.update(listening_snapshot());
    ui.handle(ch(U'5'));
    ui.handle(ch(U'K'));  // *:22 has no known process
    EXPECT_FALSE(ui.state().kill.open);
    ui.handle(ch(U'j'));
    ui.handle(ch(U'K'));
    ASSERT_TRUE(ui.state().kill.open);
    ui.handle(ch(U'y'));
    EXPECT_EQ(pids, std::vector<int>{800});
}

TEST(Listening, FromACaptureFileItSaysWhyItIsEmpty) {
    Ui ui;
    ui.resize(120, 40);
    ui.update(make_snapshot());
    ui.handle(ch(U'5'));
    EXPECT_NE(screen(ui, 120, 40).find("listening sockets are read live"), std::string::npos);
}

}  // namespace
}  // namespace sockeye::tui
