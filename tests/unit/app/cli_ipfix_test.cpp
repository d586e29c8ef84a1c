// --ipfix: parsing, and the export set wiring it the way the pipeline does
// (opened with the other exports, records from closed flows per snapshot
// and from open flows at finish(), counters and the once-only error).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "app/cli.hpp"
#include "app/export_table.hpp"
#include "unit/support/empty_source.hpp"
#include "unit/support/loopback_socket.hpp"
#include "unit/support/result_value.hpp"

namespace sockeye::app {
namespace {

core::Result<Options> parse(std::initializer_list<const char*> args) {
    return parse_args(std::vector<std::string>(args.begin(), args.end()));
}

TEST(CliIpfix, AcceptsUdpAndTcpCollectors) {
    auto r = parse({"--headless", "--ipfix", "127.0.0.1:4739"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_EQ(r->ipfix, "127.0.0.1:4739");
    r = parse({"-r", "x.pcap", "--json", "--ipfix=tcp://[::1]:4739"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_EQ(r->ipfix, "tcp://[::1]:4739");
    r = parse({"--ipfix", "udp://collector.example:2055"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
}

TEST(CliIpfix, RejectsMalformedCollectorsWithOneLineReasons) {
    auto r = parse({"--ipfix", "127.0.0.1"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("--ipfix"), std::string::npos) << sockeye::testing::error_message(r);
    EXPECT_NE(sockeye::testing::error_message(r).find("HOST:PORT"), std::string::npos) << sockeye::testing::error_message(r);
    r = parse({"--ipfix", "sctp://h:4739"});
    EXPECT_FALSE(r.ok());
    r = parse({"--ipfix", "h:99999"});
    EXPECT_FALSE(r.ok());
    r = parse({"--ipfix"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("needs a value"), std::string::npos) << sockeye::testing::error_message(r);
    EXPECT_NE(help_text().find("--ipfix"), std::string::npos);
}

using test::EmptySource;

snapshot::FlowRecord udp_flow(std::uint16_t port, snapshot::EndReason end) {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::udp;
    f.ip_proto = 17;
    f.source_ip = core::IpAddress::parse("10.1.0.1");
    f.destination_ip = core::IpAddress::parse("10.1.0.2");
    f.source_port = port;
    f.destination_port = 53;
    f.end_reason = end;
    f.first_seen_ns = 1'700'000'000'000'000'000 + port;
    f.last_seen_ns = f.first_seen_ns + 1000;
    f.packets_sent = 1;
    f.bytes_sent = 80;
    return f;
}

// Records sent so far, read from the sequence number of the last datagram
// waiting on `fd` (every message in these tests holds one record).
std::uint32_t records_received(int fd) {
    std::uint32_t last_sequence = 0;
    std::uint32_t messages = 0;
    char buf[65536];
    pollfd p{fd, POLLIN, 0};
    while (::poll(&p, 1, 500) > 0) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 16) break;
        ++messages;
        last_sequence = static_cast<std::uint32_t>(static_cast<unsigned char>(buf[8]) << 24 |
                                                   static_cast<unsigned char>(buf[9]) << 16 |
                                                   static_cast<unsigned char>(buf[10]) << 8 |
                                                   static_cast<unsigned char>(buf[11]));
    }
    return messages == 0 ? 0 : last_sequence + 1;
}

TEST(ExportSetIpfix, ClosedFlowsPerSnapshotAndOpenOnesAtFinish) {
    std::uint16_t port = 0;
    const int collector = test::bound_socket(SOCK_DGRAM, port);
    ASSERT_GE(collector, 0);

    Options options;
    options.read_file = "x.pcap";
    options.ipfix = "127.0.0.1:" + std::to_string(port);
    EmptySource source;
    auto exports = sockeye::testing::value_or_fail(open_exports(options, source, false, nullptr));
    ASSERT_TRUE(exports);
    EXPECT_FALSE(exports->empty());
    EXPECT_TRUE(exports->wants_snapshots());
    exports->start();

    snapshot::Snapshot first;  // one open flow
    first.ts_ns = 1'700'000'001'000'000'000;
    first.flows.push_back(udp_flow(1000, snapshot::EndReason::active));
    exports->on_snapshot(first);
    snapshot::Snapshot second = first;  // it ended; another one is open
    second.flows[0].end_reason = snapshot::EndReason::idle_timeout;
    second.flows.push_back(udp_flow(1001, snapshot::EndReason::active));
    exports->on_snapshot(second);
    // The exporter batches what is queued: wait for the closed flow alone.
    EXPECT_EQ(records_received(collector), 1u);
    exports->finish(second);  // the open flow: forced end
    EXPECT_EQ(records_received(collector), 2u);

    const auto counters = exports->counters();
    ASSERT_EQ(counters.size(), 1u);
    EXPECT_EQ(counters[0].name, "ipfix");
    EXPECT_EQ(counters[0].written, 2u);
    EXPECT_TRUE(exports->new_errors().empty());
    ::close(collector);
}

TEST(ExportSetIpfix, AnUnresolvableCollectorFailsAtOpen) {
    Options options;
    options.ipfix = "name.invalid:4739";
    EmptySource source;
    const core::Error error = sockeye::testing::error_of(open_exports(options, source, false, nullptr));
    EXPECT_EQ(error.code, core::ErrorCode::not_found) << error.message;
    EXPECT_NE(error.message.find("name.invalid"), std::string::npos) << error.message;
}

TEST(ExportSetIpfix, ARefusedCollectorIsReportedOnceAsRetrying) {
    // A UDP port nothing listens on: the second datagram gets ECONNREFUSED.
    Options options;
    options.ipfix = "127.0.0.1:" + std::to_string(test::closed_port(SOCK_DGRAM));
    EmptySource source;
    auto exports = sockeye::testing::value_or_fail(open_exports(options, source, false, nullptr));
    ASSERT_TRUE(exports);
    std::vector<std::string> errors;
    for (std::uint16_t i = 0; i < 40 && errors.empty(); ++i) {
        snapshot::Snapshot snap;
        snap.flows.push_back(udp_flow(static_cast<std::uint16_t>(2000 + i),
                                      snapshot::EndReason::idle_timeout));
        exports->on_snapshot(snap);
        ::usleep(20'000);
        errors = exports->new_errors();
    }
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("ipfix export: "), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("retrying"), std::string::npos) << errors[0];
    EXPECT_TRUE(exports->new_errors().empty());  // once
}

}  // namespace
}  // namespace sockeye::app
