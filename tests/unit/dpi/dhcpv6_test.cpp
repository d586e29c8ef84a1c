#include "dpi/protocols/dhcpv6.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiDhcpv6, Solicit) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_dhcpv6, ctx(Transport::udp, true, 546, 547), fixtures::dhcpv6_solicit(), info),
              Verdict::match);
    EXPECT_EQ(info.protocol, "DHCPv6");
    EXPECT_EQ(fixtures::text_of(info, "message_type"), "SOLICIT");
    EXPECT_EQ(fixtures::text_of(info, "client_duid"), "000100012a3b4c5d00163e5e6c09");
    EXPECT_EQ(fixtures::text_of(info, "fqdn"), "laptop.example.org");
}

TEST(DpiDhcpv6, RelayForwardIsUnwrapped) {
    const auto inner = fixtures::dhcpv6_solicit();
    const auto relay = fixtures::cat({{12, 0},
                                      fixtures::filled(16, 0x20),
                                      fixtures::filled(16, 0xfe),
                                      fixtures::u16(9),
                                      fixtures::u16(static_cast<std::uint16_t>(inner.size())),
                                      inner});
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_dhcpv6, ctx(Transport::udp, true, 547, 547), relay, info), Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "message_type"), "SOLICIT");
}

TEST(DpiDhcpv6, OptionsMustTileAndCarryADuid) {
    snapshot::AppInfo info;
    auto extra = fixtures::dhcpv6_solicit();
    extra.push_back(0);
    EXPECT_EQ(test::run_probe(probe_dhcpv6, ctx(Transport::udp, true, 546, 547), extra, info), Verdict::no_match);
    const auto no_duid =
        fixtures::cat({{0x01, 1, 2, 3}, fixtures::u16(8), fixtures::u16(2), {0, 0}});
    EXPECT_EQ(test::run_probe(probe_dhcpv6, ctx(Transport::udp, true, 546, 547), no_duid, info), Verdict::no_match);
    auto bad_type = fixtures::dhcpv6_solicit();
    bad_type[0] = 0;
    EXPECT_EQ(test::run_probe(probe_dhcpv6, ctx(Transport::udp, true, 546, 547), bad_type, info), Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
