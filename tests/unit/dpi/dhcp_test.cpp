#include "dpi/protocols/dhcp.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiDhcp, Discover) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_dhcp, ctx(Transport::udp, true, 68, 67), fixtures::dhcp_discover(), info),
              Verdict::match);
    EXPECT_EQ(info.protocol, "DHCP");
    EXPECT_EQ(fixtures::text_of(info, "message_type"), "DISCOVER");
    EXPECT_EQ(fixtures::text_of(info, "client_mac"), "00:16:3e:5e:6c:09");
    EXPECT_EQ(fixtures::text_of(info, "hostname"), "laptop");
    EXPECT_EQ(fixtures::text_of(info, "requested_ip"), "192.168.1.20");
    EXPECT_EQ(fixtures::text_of(info, "vendor_class"), "MSFT 5.0");
}

TEST(DpiDhcp, TruncatedOptionsKeepWhatParsed) {
    auto packet = fixtures::dhcp_discover();
    packet.resize(243 + 8);  // through the hostname option only
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_dhcp, ctx(Transport::udp, true, 68, 67), packet, info), Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "hostname"), "laptop");
    EXPECT_EQ(info.find("vendor_class"), nullptr);
}

TEST(DpiDhcp, NeedsMagicCookie) {
    auto packet = fixtures::dhcp_discover();
    packet[236] = 0;
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_dhcp, ctx(Transport::udp, true, 68, 67), packet, info), Verdict::no_match);
    packet = fixtures::dhcp_discover();
    packet.resize(200);
    EXPECT_EQ(test::run_probe(probe_dhcp, ctx(Transport::udp, true, 68, 67), packet, info), Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
