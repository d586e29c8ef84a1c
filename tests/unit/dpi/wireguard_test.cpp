#include "dpi/protocols/wireguard.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiWireguard, HandshakeBothWays) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_wireguard, ctx(Transport::udp, true, 40000, 51820),
                              fixtures::wireguard_initiation(), info),
              Verdict::match);
    EXPECT_EQ(info.protocol, "WireGuard");
    EXPECT_EQ(fixtures::number_of(info, "initiator_index"), 0x11223344);
    EXPECT_EQ(test::run_probe(probe_wireguard, ctx(Transport::udp, false, 40000, 51820),
                              fixtures::wireguard_response(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::number_of(info, "responder_index"), 0x55667788);
    EXPECT_EQ(fixtures::list_of(info, "message_types"),
              (std::vector<std::string>{"handshake_initiation", "handshake_response"}));
}

TEST(DpiWireguard, ExactSizesAndZeroReserved) {
    snapshot::AppInfo info;
    auto init = fixtures::wireguard_initiation();
    init.push_back(0);
    EXPECT_EQ(test::run_probe(probe_wireguard, ctx(Transport::udp, true, 1, 2), init, info), Verdict::no_match);
    init = fixtures::wireguard_initiation();
    init[2] = 1;
    EXPECT_EQ(test::run_probe(probe_wireguard, ctx(Transport::udp, true, 1, 2), init, info), Verdict::no_match);
    EXPECT_EQ(
        test::run_probe(probe_wireguard, ctx(Transport::tcp, true, 1, 2), fixtures::wireguard_initiation(), info),
        Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

TEST(DpiWireguard, TransportDataNeedsRepetitionOffPort) {
    const auto data = fixtures::wireguard_transport();
    snapshot::AppInfo info;
    auto c = ctx(Transport::udp, true, 40000, 40001);
    EXPECT_EQ(test::run_probe(probe_wireguard, c, data, info), Verdict::need_more);
    c.packet_index = 1;
    EXPECT_EQ(test::run_probe(probe_wireguard, c, data, info), Verdict::need_more);
    c.packet_index = 2;
    EXPECT_EQ(test::run_probe(probe_wireguard, c, data, info), Verdict::match);
    EXPECT_EQ(fixtures::number_of(info, "responder_index"), 0x55667788);
    snapshot::AppInfo on_port;
    EXPECT_EQ(test::run_probe(probe_wireguard, ctx(Transport::udp, true, 40000, 51820), data, on_port),
              Verdict::match);
}

}  // namespace
}  // namespace sockeye::dpi
