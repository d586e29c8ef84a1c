#include "dpi/protocols/imap.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiImap, GreetingWithCapabilities) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_imap, ctx(Transport::tcp, false, 40000, 143), fixtures::imap_server(), info),
              Verdict::match);
    EXPECT_EQ(info.protocol, "IMAP");
    EXPECT_EQ(fixtures::text_of(info, "starttls"), "offered");
    EXPECT_EQ(fixtures::list_of(info, "auth_mechanisms"),
              (std::vector<std::string>{"PLAIN", "LOGIN"}));
    EXPECT_NE(fixtures::text_of(info, "banner").find("Dovecot (Debian) ready."), std::string::npos);
    EXPECT_EQ(test::run_probe(probe_imap, ctx(Transport::tcp, true, 40000, 143), fixtures::imap_client(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "starttls"), "requested");
}

TEST(DpiImap, PlainGreetingWaitsForCapabilityResponse) {
    snapshot::AppInfo info;
    const auto greeting = fixtures::text("* OK IMAP ready\r\n");
    EXPECT_EQ(test::run_probe(probe_imap, ctx(Transport::tcp, false, 1, 2), greeting, info), Verdict::match_more);
    const auto more =
        fixtures::text("* OK IMAP ready\r\n* CAPABILITY IMAP4rev1 AUTH=GSSAPI\r\na1 OK done\r\n");
    EXPECT_EQ(test::run_probe(probe_imap, ctx(Transport::tcp, false, 1, 2), more, info), Verdict::match);
    EXPECT_EQ(fixtures::list_of(info, "auth_mechanisms"), (std::vector<std::string>{"GSSAPI"}));
    EXPECT_EQ(info.find("starttls"), nullptr);
}

TEST(DpiImap, ClientTaggedCommand) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_imap, ctx(Transport::tcp, true, 1, 2),
                         fixtures::text("A1 AUTHENTICATE PLAIN\r\n"), info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "auth_mechanism"), "PLAIN");
    snapshot::AppInfo none;
    EXPECT_EQ(
        test::run_probe(probe_imap, ctx(Transport::tcp, true, 1, 2), fixtures::text("GET / HTTP/1.1\r\n"), none),
        Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_imap, ctx(Transport::tcp, false, 1, 2), fixtures::pop3_server(), none),
              Verdict::no_match);
}

}  // namespace
}  // namespace sockeye::dpi
