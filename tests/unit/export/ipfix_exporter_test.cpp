// The exporter against collectors on 127.0.0.1 made by the test: UDP
// datagrams, a TCP stream, a TCP collector that drops the connection, and
// collectors that are not there. Every wait is bounded.
#include "export/ipfix_exporter.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "unit/export/ipfix_test_decoder.hpp"
#include "unit/support/loopback_socket.hpp"
#include "unit/support/result_value.hpp"

namespace sockeye::exports {
namespace {

using namespace std::chrono_literals;
using testing::as_bytes;
using testing::DecodedMessage;
using testing::TestDecoder;

constexpr std::int64_t kSecond = 1'000'000'000;

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    [[nodiscard]] int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

using test::bound_socket;
using test::closed_port;

bool readable(int fd, std::chrono::milliseconds wait) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
}

snapshot::FlowRecord flow(int i, bool v6 = false) {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::udp;
    f.ip_proto = 17;
    f.source_ip = core::IpAddress::parse(v6 ? "2001:db8::1" : "10.9.0.1");
    f.destination_ip = core::IpAddress::parse(v6 ? "2001:db8::2" : "10.9.0.2");
    f.source_port = static_cast<std::uint16_t>(10000 + i);
    f.destination_port = 53;
    f.end_reason = snapshot::EndReason::idle_timeout;
    f.state = snapshot::FlowState::closed;
    f.first_seen_ns = std::int64_t{1'700'000'000} * kSecond + i;
    f.last_seen_ns = f.first_seen_ns + kSecond;
    f.packets_sent = static_cast<std::uint64_t>(i) + 1;
    f.bytes_sent = 100 * (static_cast<std::uint64_t>(i) + 1);
    f.packets_received = 1;
    f.bytes_received = 90;
    return f;
}

IpfixOptions fast_options() {
    IpfixOptions o;
    o.backoff_min = 20ms;
    o.backoff_max = 80ms;
    o.send_timeout = 500ms;
    o.close_timeout = 1000ms;
    return o;
}

std::string target(const char* scheme, std::uint16_t port) {
    return std::string(scheme) + "127.0.0.1:" + std::to_string(port);
}

TEST(IpfixEndpoint, ParsesSchemesHostsAndPorts) {
    auto e = parse_ipfix_endpoint("collector.example:4739");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->protocol, IpfixProtocol::udp);
    EXPECT_EQ(e->host, "collector.example");
    EXPECT_EQ(e->port, 4739);
    e = parse_ipfix_endpoint("tcp://[::1]:4740");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->protocol, IpfixProtocol::tcp);
    EXPECT_EQ(e->host, "::1");
    EXPECT_EQ(e->text(), "tcp://[::1]:4740");
    e = parse_ipfix_endpoint("udp://10.0.0.1:2055");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->text(), "udp://10.0.0.1:2055");
    for (const char* bad : {"", "host", "host:", ":4739", "host:0", "host:65536", "host:12x",
                            "sctp://host:4739", "::1:4739", "[::1]4739", "[::1"}) {
        const core::Error error = sockeye::testing::error_of(parse_ipfix_endpoint(bad));
        EXPECT_EQ(error.code, core::ErrorCode::usage) << bad;
        EXPECT_FALSE(error.message.empty()) << bad;
    }
}

TEST(IpfixExporter, OpenRejectsWhatCannotWork) {
    core::Error error = sockeye::testing::error_of(IpfixExporter::open("no-port", {}));
    EXPECT_EQ(error.code, core::ErrorCode::usage);
    EXPECT_NE(error.message.find("HOST:PORT"), std::string::npos);
    error = sockeye::testing::error_of(IpfixExporter::open("name.invalid:4739", {}));
    EXPECT_EQ(error.code, core::ErrorCode::not_found) << error.message;
    EXPECT_NE(error.message.find("cannot resolve"), std::string::npos) << error.message;
}

TEST(IpfixExporter, UdpDatagramsCarryTemplatesThenEveryRecordInSequence) {
    std::uint16_t port = 0;
    Fd collector(bound_socket(SOCK_DGRAM, port));
    ASSERT_GE(collector.get(), 0);
    std::string error;
    auto exporter = sockeye::testing::value_or_fail(IpfixExporter::open(target("", port), fast_options()));
    ASSERT_TRUE(exporter);
    exporter->start();
    constexpr int kFlows = 120;
    for (int i = 0; i < kFlows; ++i) exporter->add_closed(flow(i, i % 4 == 0));
    exporter->close();

    TestDecoder d;
    std::vector<DecodedMessage> messages;
    std::vector<char> buf(65536);
    while (readable(collector.get(), 500ms)) {
        const ssize_t n = ::recv(collector.get(), buf.data(), buf.size(), 0);
        ASSERT_GT(n, 0);
        EXPECT_LE(n, 1400);
        const std::string m(buf.data(), static_cast<std::size_t>(n));
        auto msg = d.decode(as_bytes(m), error);
        ASSERT_TRUE(msg) << error;
        messages.push_back(*msg);
    }
    ASSERT_GE(messages.size(), 2u);
    EXPECT_TRUE(messages[0].had_templates);
    std::uint32_t expected_sequence = 0;
    std::vector<int> seen(kFlows, 0);
    for (const auto& m : messages) {
        EXPECT_EQ(m.version, 10);
        EXPECT_EQ(m.domain, 1u);
        EXPECT_EQ(m.sequence, expected_sequence);
        expected_sequence += static_cast<std::uint32_t>(m.records.size());
        for (const auto& r : m.records) {
            const auto i = static_cast<int>(r.number(7) - 10000);
            ASSERT_GE(i, 0);
            ASSERT_LT(i, kFlows);
            ++seen[static_cast<std::size_t>(i)];
            EXPECT_EQ(r.template_id, i % 4 == 0 ? 257 : 256);
            EXPECT_EQ(r.number(2), static_cast<std::uint64_t>(i) + 1);
            EXPECT_EQ(r.number(1), 100 * (static_cast<std::uint64_t>(i) + 1));
            EXPECT_EQ(r.number(1, ipfix::kReversePen), 90u);
            EXPECT_EQ(r.number(136), 1u);  // idle timeout
        }
    }
    for (int i = 0; i < kFlows; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], 1) << i;
    const auto c = exporter->counters();
    EXPECT_EQ(c.name, "ipfix");
    EXPECT_EQ(c.path, target("udp://", port));
    EXPECT_EQ(c.written, static_cast<std::uint64_t>(kFlows));
    EXPECT_EQ(c.dropped, 0u);
    EXPECT_TRUE(c.error.empty()) << c.error;
}

// Reads whole IPFIX messages off a TCP stream until it ends or goes quiet.
std::vector<DecodedMessage> read_stream(int fd, TestDecoder& d, std::string& error) {
    std::string data;
    std::vector<char> buf(65536);
    while (readable(fd, 1500ms)) {
        const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n <= 0) break;
        data.append(buf.data(), static_cast<std::size_t>(n));
    }
    std::vector<DecodedMessage> out;
    std::size_t at = 0;
    while (data.size() - at >= 4) {
        const std::size_t len = (std::size_t{static_cast<unsigned char>(data[at + 2])} << 8) |
                                std::size_t{static_cast<unsigned char>(data[at + 3])};
        if (len < 16 || at + len > data.size()) {
            error = "broken framing";
            break;
        }
        auto msg = d.decode(as_bytes(data.substr(at, len)), error);
        if (!msg) break;
        out.push_back(*msg);
        at += len;
    }
    if (at != data.size() && error.empty()) error = "trailing bytes";
    return out;
}

TEST(IpfixExporter, TcpStreamFramesMessagesWithTemplatesFirst) {
    std::uint16_t port = 0;
    Fd listener(bound_socket(SOCK_STREAM, port));
    ASSERT_GE(listener.get(), 0);
    std::string error;
    auto exporter = sockeye::testing::value_or_fail(IpfixExporter::open(target("tcp://", port), fast_options()));
    ASSERT_TRUE(exporter);
    constexpr int kFlows = 300;
    for (int i = 0; i < kFlows; ++i) exporter->add_closed(flow(i));
    ASSERT_TRUE(readable(listener.get(), 2000ms));
    Fd conn(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    exporter->close();  // sends the rest and closes
    TestDecoder d;
    const auto messages = read_stream(conn.get(), d, error);
    EXPECT_TRUE(error.empty()) << error;
    ASSERT_FALSE(messages.empty());
    EXPECT_TRUE(messages[0].had_templates);
    std::size_t records = 0;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        EXPECT_EQ(messages[i].sequence, records);
        if (i > 0) {
            EXPECT_FALSE(messages[i].had_templates);  // once per connection
        }
        records += messages[i].records.size();
    }
    EXPECT_EQ(records, static_cast<std::size_t>(kFlows));
    EXPECT_EQ(exporter->counters().written, static_cast<std::uint64_t>(kFlows));
}

TEST(IpfixExporter, TcpReconnectsAfterTheCollectorDropsAndStartsANewSession) {
    std::uint16_t port = 0;
    Fd listener(bound_socket(SOCK_STREAM, port));
    ASSERT_GE(listener.get(), 0);
    std::string error;
    auto exporter = sockeye::testing::value_or_fail(IpfixExporter::open(target("tcp://", port), fast_options()));
    ASSERT_TRUE(exporter);
    exporter->add_closed(flow(0));
    ASSERT_TRUE(readable(listener.get(), 2000ms));
    {
        Fd first(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
        ASSERT_TRUE(readable(first.get(), 2000ms));  // the first message arrived
        // SO_LINGER 0: close sends a RST, as a crashing collector would.
        linger l{1, 0};
        ::setsockopt(first.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    // Keep feeding until the exporter notices and reconnects (bounded).
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    int i = 1;
    while (!readable(listener.get(), 20ms) && std::chrono::steady_clock::now() < deadline)
        exporter->add_closed(flow(i++));
    ASSERT_TRUE(readable(listener.get(), 0ms)) << "no reconnect";
    Fd second(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    exporter->add_closed(flow(i++));
    exporter->close();
    TestDecoder d;
    const auto messages = read_stream(second.get(), d, error);
    EXPECT_TRUE(error.empty()) << error;
    ASSERT_FALSE(messages.empty());
    EXPECT_TRUE(messages[0].had_templates);  // a new session: templates again
    EXPECT_EQ(messages[0].sequence, 0u);     // and sequence numbers from 0
    const auto c = exporter->counters();
    EXPECT_FALSE(c.error.empty());
    EXPECT_TRUE(c.retrying);
    // Every record is either written or counted lost.
    EXPECT_EQ(c.written + c.dropped, static_cast<std::uint64_t>(i));
}

TEST(IpfixExporter, RefusedUdpCollectorIsReportedOnceAndNeverBlocks) {
    const std::uint16_t port = closed_port(SOCK_DGRAM);
    auto exporter = sockeye::testing::value_or_fail(IpfixExporter::open(target("udp://", port), fast_options()));
    ASSERT_TRUE(exporter);  // nothing to know yet: UDP has no handshake
    const auto started = std::chrono::steady_clock::now();
    for (int round = 0; round < 20 && exporter->counters().error.empty(); ++round) {
        for (int i = 0; i < 10; ++i) exporter->add_closed(flow(round * 10 + i));
        std::this_thread::sleep_for(30ms);
    }
    const auto c = exporter->counters();
    EXPECT_NE(c.error.find("Connection refused"), std::string::npos) << c.error;
    EXPECT_TRUE(c.retrying);
    EXPECT_GT(c.dropped, 0u);
    const auto closing = std::chrono::steady_clock::now();
    exporter->close();
    EXPECT_LT(std::chrono::steady_clock::now() - closing, 1500ms);  // close_timeout + slack
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST(IpfixExporter, UnreachableTcpCollectorQueuesBoundedAndCountsTheLossAtClose) {
    const std::uint16_t port = closed_port(SOCK_STREAM);
    IpfixOptions o = fast_options();
    o.max_queued_records = 50;
    o.close_timeout = 200ms;
    auto exporter = sockeye::testing::value_or_fail(IpfixExporter::open(target("tcp://", port), o));
    ASSERT_TRUE(exporter);
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 80; ++i) exporter->add_closed(flow(i));
    EXPECT_LT(std::chrono::steady_clock::now() - started, 100ms);  // never waits on the network
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (exporter->counters().error.empty() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    auto c = exporter->counters();
    EXPECT_NE(c.error.find("Connection refused"), std::string::npos) << c.error;
    EXPECT_GE(c.dropped, 30u);  // beyond the queue's 50
    exporter->close();
    c = exporter->counters();
    EXPECT_EQ(c.written, 0u);
    EXPECT_EQ(c.dropped, 80u);  // nothing vanished uncounted
}

TEST(IpfixExporter, LongFlowsAreExportedAtTheActiveTimeoutAndOpenOnesAtExit) {
    std::uint16_t port = 0;
    Fd collector(bound_socket(SOCK_DGRAM, port));
    ASSERT_GE(collector.get(), 0);
    std::string error;
    auto exporter = sockeye::testing::value_or_fail(IpfixExporter::open(target("", port), fast_options()));
    ASSERT_TRUE(exporter);
    snapshot::FlowRecord f = flow(1);
    f.end_reason = snapshot::EndReason::active;
    f.state = snapshot::FlowState::active;
    snapshot::Snapshot snap;
    snap.ts_ns = f.first_seen_ns + 61 * kSecond;
    snap.flows.push_back(f);
    exporter->add_due(snap);
    f.packets_sent += 3;
    f.bytes_sent += 300;
    exporter->add_at_exit(f);
    exporter->close();
    TestDecoder d;
    std::vector<char> buf(65536);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> got;  // (reason, packets)
    while (readable(collector.get(), 500ms)) {
        const ssize_t n = ::recv(collector.get(), buf.data(), buf.size(), 0);
        ASSERT_GT(n, 0);
        auto msg = d.decode(as_bytes(std::string(buf.data(), static_cast<std::size_t>(n))), error);
        ASSERT_TRUE(msg) << error;
        for (const auto& r : msg->records) got.emplace_back(r.number(136), r.number(2));
    }
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0], (std::pair<std::uint64_t, std::uint64_t>{2, 2}));  // active timeout, 2 packets
    EXPECT_EQ(got[1], (std::pair<std::uint64_t, std::uint64_t>{4, 3}));  // forced end, 3 more
}

}  // namespace
}  // namespace sockeye::exports
