#include "dpi/protocols/snmp.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiSnmp, V2cGetRequest) {
    const auto msg = fixtures::snmp_v2c_get();
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_snmp, ctx(Transport::udp, true, 40000, 161), msg, info), Verdict::match);
    EXPECT_EQ(info.protocol, "SNMP");
    EXPECT_EQ(fixtures::text_of(info, "version"), "2c");
    EXPECT_EQ(fixtures::text_of(info, "community"), "public");
    EXPECT_EQ(fixtures::text_of(info, "pdu"), "get_request");
}

TEST(DpiSnmp, V1Trap) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_snmp, ctx(Transport::udp, true, 40000, 162), fixtures::snmp_v1_trap(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "version"), "1");
    EXPECT_EQ(fixtures::text_of(info, "community"), "private");
    EXPECT_EQ(fixtures::text_of(info, "pdu"), "trap");
}

TEST(DpiSnmp, V3WithUser) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_snmp, ctx(Transport::udp, true, 40000, 161), fixtures::snmp_v3_get(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "version"), "3");
    EXPECT_EQ(fixtures::text_of(info, "user"), "monitor");
    EXPECT_EQ(fixtures::text_of(info, "pdu"), "get_request");
    EXPECT_EQ(info.find("community"), nullptr);
}

TEST(DpiSnmp, RejectsMalformed) {
    snapshot::AppInfo info;
    auto msg = fixtures::snmp_v2c_get();
    msg.push_back(0);  // trailing byte after the message
    EXPECT_EQ(test::run_probe(probe_snmp, ctx(Transport::udp, true, 1, 161), msg, info), Verdict::no_match);
    msg = fixtures::snmp_v2c_get();
    msg.pop_back();
    EXPECT_EQ(test::run_probe(probe_snmp, ctx(Transport::udp, true, 1, 161), msg, info), Verdict::no_match);
    msg = fixtures::snmp_v2c_get();
    msg[4] = 2;  // version 2 does not exist on the wire
    EXPECT_EQ(test::run_probe(probe_snmp, ctx(Transport::udp, true, 1, 161), msg, info), Verdict::no_match);
    const std::vector<std::uint8_t> indefinite = {0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00};
    EXPECT_EQ(test::run_probe(probe_snmp, ctx(Transport::udp, true, 1, 161), indefinite, info), Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
