// The snapshot enricher on a live host: a flow another connection announced
// (an FTP data connection) whose own socket cannot be found takes the
// process of the connection that announced it; other flows do not.
#include "app/snapshot_enricher.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>

#include "unit/host/live_socket.hpp"

namespace sockeye::app {
namespace {

using snapshot::ProcessMatch;
using snapshot::UnattributedReason;

constexpr int kEthernet = 1;

snapshot::FlowRecord loopback_flow_without_socket() {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::tcp;
    f.ip_proto = host::kProtoTcp;
    f.source_ip = core::IpAddress::parse("127.0.0.1");
    f.destination_ip = core::IpAddress::parse("127.0.0.1");
    f.source_port = 1;  // privileged: nothing of this test binds it
    f.destination_port = 2;
    return f;
}

// Enriches `flow` alone, snapshot after snapshot as the UI would, until it
// has a process or attribution has answered without one (not pending).
// Answers come from the attribution thread, one lookup after another.
snapshot::FlowRecord enriched(SnapshotEnricher& enricher, const pipeline::Engine& engine,
                              const snapshot::FlowRecord& flow, bool until_owned) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    for (;;) {
        snapshot::Snapshot snap;
        snap.flows.push_back(flow);
        enricher.enrich(snap, engine);
        const snapshot::FlowRecord& out = snap.flows.at(0);
        const bool answered = until_owned ? out.process != nullptr
                                          : out.unattributed != UnattributedReason::pending;
        if (answered || std::chrono::steady_clock::now() >= deadline) {
            return out;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

TEST(SnapshotEnricher, AnAnnouncedFlowWithoutASocketTakesTheAnnouncersProcess) {
    if (!host::test::sock_diag_available()) GTEST_SKIP() << "no sock_diag sockets here (qemu-user refuses them)";
    Options options;
    options.ebpf = false;
    SnapshotEnricher enricher(options, /*live=*/true, /*reverse_dns=*/false);
    enricher.start_attribution();
    const pipeline::Engine engine(kEthernet, pipeline::EngineOptions{});

    // The control connection: a real one on loopback, owned by this process.
    const auto [listener, client, server] = host::test::loopback_tcp();
    ASSERT_TRUE(client.valid());
    const auto client_end = host::test::local_end(client.get());

    const snapshot::FlowRecord plain = loopback_flow_without_socket();
    const snapshot::FlowRecord stranger = enriched(enricher, engine, plain, false);
    EXPECT_EQ(stranger.process, nullptr);
    EXPECT_EQ(stranger.unattributed, UnattributedReason::no_socket);

    snapshot::FlowRecord data = plain;
    auto app = std::make_shared<snapshot::AppInfo>();
    app->protocol = "FTP-DATA";
    app->announced_by = snapshot::Announcer{client_end.ip, server.ip, client_end.port, server.port};
    data.app = app;
    const snapshot::FlowRecord inherited = enriched(enricher, engine, data, true);
    ASSERT_NE(inherited.process, nullptr)
        << "reason " << snapshot::unattributed_reason_name(inherited.unattributed);
    EXPECT_EQ(inherited.process->pid, static_cast<int>(::getpid()));
    EXPECT_EQ(inherited.process_match, ProcessMatch::announced);
    EXPECT_EQ(inherited.unattributed, UnattributedReason::none);
}

}  // namespace
}  // namespace sockeye::app
