#include "dpi/protocols/stun.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiStun, Rfc5769SampleRequest) {
    snapshot::AppInfo info;
    EXPECT_EQ(
        test::run_probe(probe_stun, ctx(Transport::udp, true, 40000, 3478), fixtures::stun_rfc5769_request(), info),
        Verdict::match);
    EXPECT_EQ(info.protocol, "STUN");
    EXPECT_EQ(fixtures::text_of(info, "method"), "Binding");
    EXPECT_EQ(fixtures::text_of(info, "class"), "request");
    EXPECT_EQ(fixtures::text_of(info, "software"), "STUN test client");
}

TEST(DpiStun, Rfc5769SampleIpv4Response) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_stun, ctx(Transport::udp, false, 40000, 3478),
                         fixtures::stun_rfc5769_response_v4(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "class"), "success_response");
    EXPECT_EQ(fixtures::text_of(info, "software"), "test vector");  // 11 bytes + 1 pad
    EXPECT_EQ(fixtures::text_of(info, "xor_mapped_address"), "192.0.2.1:32853");
}

TEST(DpiStun, OverTcpWaitsForTheWholeMessage) {
    const auto msg = fixtures::stun_rfc5769_request();
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_stun, ctx(Transport::tcp, true, 1, 2),
                         std::span<const std::uint8_t>(msg.data(), 10), info),
              Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_stun, ctx(Transport::tcp, true, 1, 2),
                         std::span<const std::uint8_t>(msg.data(), 50), info),
              Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_stun, ctx(Transport::tcp, true, 1, 2), msg, info), Verdict::match);
}

TEST(DpiStun, RejectsWrongCookieOrLength) {
    snapshot::AppInfo info;
    auto msg = fixtures::stun_rfc5769_request();
    msg[4] = 0x22;
    EXPECT_EQ(test::run_probe(probe_stun, ctx(Transport::udp, true, 1, 2), msg, info), Verdict::no_match);
    auto longer = fixtures::stun_rfc5769_request();
    longer.push_back(0);
    EXPECT_EQ(test::run_probe(probe_stun, ctx(Transport::udp, true, 1, 2), longer, info), Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_stun, ctx(Transport::udp, true, 1, 2),
                         std::span<const std::uint8_t>(msg.data(), 10), info),
              Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
