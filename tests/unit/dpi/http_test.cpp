#include <gtest/gtest.h>

#include "dpi/protocols/http.hpp"
#include "unit/dpi/detector_fixture.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using test::as_bytes;

constexpr std::string_view kRequest =
    "GET /index.html?q=1 HTTP/1.1\r\nHost: www.example.com\r\n"
    "User-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n";
constexpr std::string_view kResponse =
    "HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\nContent-Length: 3\r\n\r\nabc";

TEST(Http, Request) {
    snapshot::AppInfo info;
    ASSERT_EQ(test::run_probe(probe_http, test::tcp_ctx(true, 80), as_bytes(kRequest), info), Verdict::match);
    EXPECT_EQ(info.protocol, "HTTP");
    EXPECT_EQ(info.domain, "www.example.com");
    EXPECT_EQ(info.find("method")->text, "GET");
    EXPECT_EQ(info.find("path")->text, "/index.html?q=1");
    EXPECT_EQ(info.find("host")->text, "www.example.com");
    EXPECT_EQ(info.find("user_agent")->text, "curl/7.88.1");
}

TEST(Http, PartialRequest) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_http, test::tcp_ctx(true, 80), as_bytes("GE"), info), Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_http, test::tcp_ctx(true, 80), as_bytes("POST /x HT"), info), Verdict::need_more);
    // Request line complete, headers not yet: classified, more to read.
    EXPECT_EQ(test::run_probe(probe_http, test::tcp_ctx(true, 80), as_bytes(kRequest.substr(0, 40)), info),
              Verdict::match_more);
    EXPECT_EQ(info.find("method")->text, "GET");
    EXPECT_EQ(info.find("host"), nullptr);
}

TEST(Http, Response) {
    snapshot::AppInfo info;
    ASSERT_EQ(test::run_probe(probe_http, test::tcp_ctx(false, 80), as_bytes(kResponse), info), Verdict::match);
    EXPECT_EQ(info.find("status")->number, 200);
    EXPECT_EQ(info.find("server")->text, "SimpleHTTP/0.6 Python/3.11.2");
}

TEST(Http, NotHttp) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_http, test::tcp_ctx(true, 80), as_bytes("GETX / HTTP/1.1\r\n"), info),
              Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_http, test::tcp_ctx(true, 80), as_bytes("GET / SIP/2.0\r\n"), info),
              Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_http, test::tcp_ctx(false, 80), as_bytes("HTTP/1.1 2x0 OK\r\n"), info),
              Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_http, test::tcp_ctx(true, 80), as_bytes("\x16\x03\x01"), info), Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

TEST(Http2, Preface) {
    snapshot::AppInfo info;
    const std::string_view preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04";
    EXPECT_EQ(test::run_probe(probe_http2, test::tcp_ctx(true, 80), as_bytes(preface.substr(0, 10)), info),
              Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_http2, test::tcp_ctx(true, 80), as_bytes(preface), info), Verdict::match);
    EXPECT_EQ(info.protocol, "HTTP2");
    EXPECT_EQ(test::run_probe(probe_http2, test::tcp_ctx(true, 80), as_bytes(kRequest), info), Verdict::no_match);
}

}  // namespace
}  // namespace sockeye::dpi
