// The --metrics HTTP server over real loopback sockets (port 0: the kernel
// picks a free one).
#include "export/metrics_server.hpp"
#include "unit/support/result_value.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>

namespace sockeye::exports {
namespace {

using namespace std::chrono_literals;

ListenAddress loopback(const char* ip = "127.0.0.1") {
    ListenAddress a = sockeye::testing::value_or_fail(parse_listen_address(
        std::string(ip).find(':') != std::string::npos ? "[" + std::string(ip) + "]:1"
                                                       : std::string(ip) + ":1"));
    a.port = 0;  // not accepted on the command line, fine for tests
    return a;
}

int connect_to(const ListenAddress& a) {
    sockaddr_storage ss{};
    socklen_t len = 0;
    if (a.address.is_v6()) {
        auto* s6 = reinterpret_cast<sockaddr_in6*>(&ss);
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(a.port);
        std::memcpy(&s6->sin6_addr, a.address.bytes.data(), 16);
        len = sizeof(sockaddr_in6);
    } else {
        auto* s4 = reinterpret_cast<sockaddr_in*>(&ss);
        s4->sin_family = AF_INET;
        s4->sin_port = htons(a.port);
        if (a.any()) {
            s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        } else {
            std::memcpy(&s4->sin_addr, a.address.bytes.data(), 4);
        }
        len = sizeof(sockaddr_in);
    }
    const int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&ss), len) != 0) {
        ::close(fd);
        return -1;
    }
    timeval tv{10, 0};  // the test never hangs on a broken server
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

// Everything the server sends until it closes.
std::string read_all(int fd) {
    std::string out;
    char buf[4096];
    while (true) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

std::string exchange(const ListenAddress& a, const std::string& request) {
    const int fd = connect_to(a);
    if (fd < 0) return "connect failed";
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string reply = read_all(fd);
    ::close(fd);
    return reply;
}

std::string body_of(const std::string& reply) {
    const auto end = reply.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : reply.substr(end + 4);
}

TEST(MetricsHttpResponse, StatusByMethodAndPath) {
    bool ok = false;
    std::string r = metrics_http_response("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", "m 1\n", ok);
    EXPECT_TRUE(ok);
    EXPECT_EQ(r,
              "HTTP/1.1 200 OK\r\n"
              "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
              "Content-Length: 4\r\n"
              "Connection: close\r\n\r\n"
              "m 1\n");
    r = metrics_http_response("GET /metrics?x=1 HTTP/1.0\r\n\r\n", "m 1\n", ok);
    EXPECT_TRUE(ok);
    r = metrics_http_response("GET / HTTP/1.1\r\n\r\n", "m 1\n", ok);
    EXPECT_FALSE(ok);
    EXPECT_EQ(r.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u) << r;
    r = metrics_http_response("GET /metricsx HTTP/1.1\r\n\r\n", "m 1\n", ok);
    EXPECT_EQ(r.rfind("HTTP/1.1 404 ", 0), 0u) << r;
    r = metrics_http_response("POST /metrics HTTP/1.1\r\n\r\n", "m 1\n", ok);
    EXPECT_FALSE(ok);
    EXPECT_EQ(r.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0u) << r;
    EXPECT_NE(r.find("\r\nAllow: GET\r\n"), std::string::npos) << r;
    r = metrics_http_response("HEAD /metrics HTTP/1.1\r\n\r\n", "m 1\n", ok);
    EXPECT_EQ(r.rfind("HTTP/1.1 405 ", 0), 0u) << r;
    for (const char* bad : {"GET\r\n\r\n", "GET /metrics\r\n\r\n", "GET /metrics SMTP/1.0\r\n\r\n",
                            "GET  /metrics HTTP/1.1\r\n\r\n", "\r\n\r\n"}) {
        r = metrics_http_response(bad, "m 1\n", ok);
        EXPECT_FALSE(ok);
        EXPECT_EQ(r.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << bad << " -> " << r;
    }
}

TEST(MetricsServer, ServesThePublishedTextOverLoopback) {
    auto server = sockeye::testing::value_or_fail(MetricsServer::open(loopback()));
    ASSERT_TRUE(server);
    ASSERT_NE(server->address().port, 0);
    server->start();
    // Nothing published yet: an empty, valid exposition.
    std::string reply = exchange(server->address(), "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << reply;
    EXPECT_EQ(body_of(reply), "");

    server->publish("sockeye_packets_total 7\n");
    reply = exchange(server->address(), "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_NE(reply.find("Content-Type: text/plain; version=0.0.4"), std::string::npos) << reply;
    EXPECT_EQ(body_of(reply), "sockeye_packets_total 7\n");
    // A big body arrives whole (several send() calls).
    const std::string big(300'000, 'x');
    server->publish(big);
    reply = exchange(server->address(), "GET /metrics HTTP/1.1\r\n\r\n");
    EXPECT_EQ(body_of(reply), big);
    EXPECT_EQ(exchange(server->address(), "GET /nope HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404 ", 0), 0u);
    EXPECT_EQ(exchange(server->address(), "DELETE /metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 405 ", 0),
              0u);
    EXPECT_EQ(server->scrapes(), 3u);  // only the 200s
    server->stop();
    server->stop();  // idempotent
}

TEST(MetricsServer, RequestsInPiecesAndIPv6) {
    auto opened = MetricsServer::open(loopback("::1"));
    if (!opened) GTEST_SKIP() << "no IPv6 loopback here: " << opened.error().message;
    auto server = std::move(opened).value();
    server->start();
    server->publish("a 1\n");
    const int fd = connect_to(server->address());
    ASSERT_GE(fd, 0);
    for (const char* piece : {"GET /met", "rics HTTP/1.1\r\n", "Host: t\r\n", "\r\n"}) {
        ::send(fd, piece, std::strlen(piece), MSG_NOSIGNAL);
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(body_of(read_all(fd)), "a 1\n");
    ::close(fd);
}

TEST(MetricsServer, OversizedRequestsAndSilentClientsAreBounded) {
    MetricsServerLimits limits;
    limits.max_request_bytes = 1024;
    limits.read_timeout = 300ms;
    auto server = sockeye::testing::value_or_fail(MetricsServer::open(loopback(), limits));
    ASSERT_TRUE(server);
    server->start();
    server->publish("a 1\n");
    const std::string huge = "GET /metrics HTTP/1.1\r\nX: " + std::string(4000, 'y') + "\r\n\r\n";
    EXPECT_EQ(exchange(server->address(), huge).rfind("HTTP/1.1 431 ", 0), 0u);

    // A client that connects and says nothing holds the server for at most
    // the read timeout; the next scrape is answered after it.
    const int silent = connect_to(server->address());
    ASSERT_GE(silent, 0);
    const auto started = std::chrono::steady_clock::now();
    const std::string reply = exchange(server->address(), "GET /metrics HTTP/1.1\r\n\r\n");
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(body_of(reply), "a 1\n");
    EXPECT_LT(waited, 3s);
    EXPECT_EQ(read_all(silent).rfind("HTTP/1.1 408 ", 0), 0u);
    ::close(silent);
    EXPECT_EQ(server->scrapes(), 1u);
}

TEST(MetricsServer, StopWakesTheThreadWhileAClientIsSilent) {
    MetricsServerLimits limits;
    limits.read_timeout = 60s;
    auto server = sockeye::testing::value_or_fail(MetricsServer::open(loopback(), limits));
    ASSERT_TRUE(server);
    server->start();
    const int silent = connect_to(server->address());
    ASSERT_GE(silent, 0);
    std::this_thread::sleep_for(50ms);  // the server is now reading from it
    const auto started = std::chrono::steady_clock::now();
    server->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    ::close(silent);
}

TEST(MetricsServer, AnAddressInUseIsAClearError) {
    auto first = sockeye::testing::value_or_fail(MetricsServer::open(loopback()));
    ASSERT_TRUE(first);
    const core::Error error = sockeye::testing::error_of(MetricsServer::open(first->address()));
    EXPECT_EQ(error.code, core::ErrorCode::resource_exhausted);
    EXPECT_NE(error.message.find("cannot listen on 127.0.0.1:" + std::to_string(first->address().port)),
              std::string::npos)
        << error.message;
    EXPECT_NE(error.message.find("in use"), std::string::npos) << error.message;
}

}  // namespace
}  // namespace sockeye::exports
