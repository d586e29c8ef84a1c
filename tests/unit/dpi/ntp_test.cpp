#include "dpi/protocols/ntp.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiNtp, ClientAndServer) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_ntp, ctx(Transport::udp, true, 40000, 123), fixtures::ntp_client(), info),
              Verdict::match);
    EXPECT_EQ(info.protocol, "NTP");
    EXPECT_EQ(fixtures::number_of(info, "version"), 4);
    EXPECT_EQ(fixtures::text_of(info, "mode"), "client");
    EXPECT_EQ(test::run_probe(probe_ntp, ctx(Transport::udp, false, 40000, 123), fixtures::ntp_server(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "mode"), "server");
    EXPECT_EQ(fixtures::number_of(info, "stratum"), 2);
    EXPECT_EQ(fixtures::text_of(info, "reference_id"), "192.0.2.1");
}

TEST(DpiNtp, Stratum1ReferenceIsText) {
    auto packet = fixtures::ntp_server();
    packet[1] = 1;
    packet[12] = 'G';
    packet[13] = 'P';
    packet[14] = 'S';
    packet[15] = 0;
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_ntp, ctx(Transport::udp, false, 1, 123), packet, info), Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "reference_id"), "GPS");
}

TEST(DpiNtp, OffPortNeedsAStrictHeader) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_ntp, ctx(Transport::udp, true, 40000, 40001), fixtures::ntp_client(), info),
              Verdict::match);
    auto odd = fixtures::ntp_client();
    odd.resize(60);  // extension-sized: only trusted on port 123
    snapshot::AppInfo none;
    EXPECT_EQ(test::run_probe(probe_ntp, ctx(Transport::udp, true, 40000, 40001), odd, none), Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_ntp, ctx(Transport::udp, true, 40000, 123), odd, none), Verdict::match);
    snapshot::AppInfo bad;
    auto mode7 = fixtures::ntp_client();
    mode7[0] = 0x27;
    EXPECT_EQ(test::run_probe(probe_ntp, ctx(Transport::udp, true, 1, 123), mode7, bad), Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_ntp, ctx(Transport::tcp, true, 1, 123), fixtures::ntp_client(), bad),
              Verdict::no_match);
    EXPECT_TRUE(bad.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
