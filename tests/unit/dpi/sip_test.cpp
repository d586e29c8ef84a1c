#include "dpi/protocols/sip.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiSip, Rfc3261InviteOverUdp) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_sip, ctx(Transport::udp, true, 5060, 5060), fixtures::sip_invite(), info),
              Verdict::match);
    EXPECT_EQ(info.protocol, "SIP");
    EXPECT_EQ(fixtures::text_of(info, "method"), "INVITE");
    EXPECT_EQ(fixtures::text_of(info, "from"), "Alice <sip:alice@atlanta.com>;tag=1928301774");
    EXPECT_EQ(fixtures::text_of(info, "to"), "Bob <sip:bob@biloxi.com>");
    EXPECT_EQ(fixtures::text_of(info, "call_id"), "a84b4c76e66710@pc33.atlanta.com");
    EXPECT_EQ(fixtures::text_of(info, "user_agent"), "softphone/2.1");
}

TEST(DpiSip, CompactHeadersInResponse) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_sip, ctx(Transport::udp, false, 5060, 5060), fixtures::sip_ok_compact(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::number_of(info, "status"), 200);
    EXPECT_EQ(fixtures::text_of(info, "reason"), "OK");
    EXPECT_EQ(fixtures::text_of(info, "to"), "Bob <sip:bob@biloxi.com>;tag=a6c85cf");
    EXPECT_EQ(fixtures::text_of(info, "call_id"), "a84b4c76e66710@pc33.atlanta.com");
    EXPECT_EQ(fixtures::text_of(info, "server"), "pbx/1.0");
}

TEST(DpiSip, TcpWaitsForTheHeaderBlock) {
    const auto invite = fixtures::sip_invite();
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_sip, ctx(Transport::tcp, true, 1, 5060),
                        std::span<const std::uint8_t>(invite.data(), 4), info),
              Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_sip, ctx(Transport::tcp, true, 1, 5060),
                        std::span<const std::uint8_t>(invite.data(), 80), info),
              Verdict::need_more);
    EXPECT_TRUE(info.protocol.empty());
    EXPECT_EQ(test::run_probe(probe_sip, ctx(Transport::tcp, true, 1, 5060), invite, info), Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "method"), "INVITE");
}

TEST(DpiSip, RejectsHttpAndLookalikes) {
    snapshot::AppInfo info;
    const auto p = [&](std::string_view s) {
        return test::run_probe(probe_sip, ctx(Transport::udp, true, 1, 2), fixtures::text(s), info);
    };
    EXPECT_EQ(p("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), Verdict::no_match);
    EXPECT_EQ(p("INVITE http://x SIP/2.0\r\n\r\n"), Verdict::no_match);
    EXPECT_EQ(p("INVITE sip:x HTTP/1.1\r\n\r\n"), Verdict::no_match);
    EXPECT_EQ(p("SIP/2.0 abc\r\n\r\n"), Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_sip, ctx(Transport::udp, true, 1, 1900), fixtures::ssdp_msearch(), info),
              Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
