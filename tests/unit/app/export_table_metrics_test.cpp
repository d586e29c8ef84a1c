// --metrics through the export set, the way the pipeline uses it: bound at open(),
// served after start(), fed by on_snapshot(), final values kept by finish().
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "app/export_table.hpp"
#include "unit/support/empty_source.hpp"
#include "unit/support/loopback_socket.hpp"
#include "unit/support/result_value.hpp"

namespace sockeye::app {
namespace {

using test::EmptySource;

std::uint16_t free_port() { return test::closed_port(SOCK_STREAM); }

std::string get_metrics(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string out;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0) {
        const std::string req = "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n";
        ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
        char buf[4096];
        ssize_t n = 0;
        while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

TEST(ExportSetMetrics, ServesSnapshotsAndKeepsTheFinalValues) {
    const std::uint16_t port = free_port();
    Options options;
    options.read_file = "x.pcap";
    options.metrics = "127.0.0.1:" + std::to_string(port);
    EmptySource source;
    auto exports = sockeye::testing::value_or_fail(open_exports(options, source, false, nullptr));
    ASSERT_TRUE(exports);
    EXPECT_FALSE(exports->empty());
    EXPECT_TRUE(exports->wants_snapshots());
    EXPECT_EQ(exports->serving_address(), options.metrics);
    exports->start();

    // Before any snapshot: zeros, already valid.
    EXPECT_NE(get_metrics(port).find("\nsockeye_packets_total 0\n"), std::string::npos);

    snapshot::Snapshot snap;
    snap.counters.packets = 42;
    exports->on_snapshot(snap);
    const std::string reply = get_metrics(port);
    EXPECT_NE(reply.find("\nsockeye_packets_total 42\n"), std::string::npos) << reply;
    // The metrics server counts its own scrapes as an export.
    bool found = false;
    for (const auto& c : exports->counters()) {
        if (c.name != "metrics") continue;
        found = true;
        EXPECT_EQ(c.path, options.metrics);
        EXPECT_EQ(c.written, 2u);
    }
    EXPECT_TRUE(found);

    snap.counters.packets = 50;
    exports->finish(snap);
    EXPECT_NE(get_metrics(port).find("\nsockeye_packets_total 50\n"), std::string::npos);
    // After finish the values are frozen: later snapshots are ignored.
    snap.counters.packets = 60;
    exports->on_snapshot(snap);
    EXPECT_NE(get_metrics(port).find("\nsockeye_packets_total 50\n"), std::string::npos);
}

TEST(ExportSetMetrics, APortInUseFailsOpen) {
    const std::uint16_t port = free_port();
    Options options;
    options.metrics = "127.0.0.1:" + std::to_string(port);
    EmptySource source;
    auto first = sockeye::testing::value_or_fail(open_exports(options, source, false, nullptr));
    ASSERT_TRUE(first);
    const core::Error error = sockeye::testing::error_of(open_exports(options, source, false, nullptr));
    EXPECT_EQ(error.code, core::ErrorCode::resource_exhausted);
    EXPECT_NE(error.message.find("cannot listen on " + options.metrics + " for --metrics"),
              std::string::npos)
        << error.message;
}

}  // namespace
}  // namespace sockeye::app
