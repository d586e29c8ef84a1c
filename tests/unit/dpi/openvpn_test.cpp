#include "dpi/protocols/openvpn.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiOpenvpn, UdpPlainHardReset) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_openvpn, ctx(Transport::udp, true, 40000, 40001),
                            fixtures::openvpn_reset_plain(), info),
              Verdict::match);
    EXPECT_EQ(info.protocol, "OpenVPN");
    EXPECT_EQ(fixtures::number_of(info, "key_id"), 0);
    EXPECT_EQ(fixtures::text_of(info, "control_channel"), "plain");
    EXPECT_EQ(test::run_probe(probe_openvpn, ctx(Transport::udp, false, 40000, 40001),
                            fixtures::openvpn_reset_server_plain(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::list_of(info, "opcodes"),
              (std::vector<std::string>{"P_CONTROL_HARD_RESET_CLIENT_V2",
                                        "P_CONTROL_HARD_RESET_SERVER_V2"}));
}

TEST(DpiOpenvpn, UdpTlsAuth) {
    snapshot::AppInfo info;
    EXPECT_EQ(
        test::run_probe(probe_openvpn, ctx(Transport::udp, true, 1, 2), fixtures::openvpn_reset_tls_auth(), info),
        Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "control_channel"), "tls-auth");
}

TEST(DpiOpenvpn, TcpWithLengthPrefix) {
    const auto stream = fixtures::openvpn_tcp(fixtures::openvpn_reset_plain());
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_openvpn, ctx(Transport::tcp, true, 1, 443),
                            std::span<const std::uint8_t>(stream.data(), 5), info),
              Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_openvpn, ctx(Transport::tcp, true, 1, 443), stream, info), Verdict::match);
    EXPECT_EQ(fixtures::list_of(info, "opcodes"),
              (std::vector<std::string>{"P_CONTROL_HARD_RESET_CLIENT_V2"}));
}

TEST(DpiOpenvpn, RejectsNonResetsAndBadLayouts) {
    snapshot::AppInfo info;
    auto key1 = fixtures::openvpn_reset_plain();
    key1[0] = 0x39;  // key id 1 in a hard reset
    EXPECT_EQ(test::run_probe(probe_openvpn, ctx(Transport::udp, true, 1, 2), key1, info), Verdict::no_match);
    auto data = fixtures::openvpn_reset_plain();
    data[0] = 0x48;  // P_DATA_V2
    EXPECT_EQ(test::run_probe(probe_openvpn, ctx(Transport::udp, true, 1, 2), data, info), Verdict::no_match);
    auto packet_id = fixtures::openvpn_reset_plain();
    packet_id[13] = 5;
    EXPECT_EQ(test::run_probe(probe_openvpn, ctx(Transport::udp, true, 1, 2), packet_id, info), Verdict::no_match);
    EXPECT_EQ(
        test::run_probe(probe_openvpn, ctx(Transport::tcp, true, 1, 2), fixtures::text("GET / HTTP/1.1\r\n"), info),
        Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
