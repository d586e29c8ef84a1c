#include "dpi/protocols/pop3.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiPop3, GreetingAndCapa) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_pop3, ctx(Transport::tcp, false, 40000, 110), fixtures::pop3_server(), info),
              Verdict::match);
    EXPECT_EQ(info.protocol, "POP3");
    EXPECT_EQ(fixtures::text_of(info, "banner"), "Dovecot (Debian) ready.");
    EXPECT_EQ(fixtures::text_of(info, "starttls"), "offered");
    EXPECT_EQ(fixtures::list_of(info, "auth_mechanisms"),
              (std::vector<std::string>{"PLAIN", "LOGIN"}));
    EXPECT_EQ(test::run_probe(probe_pop3, ctx(Transport::tcp, true, 40000, 110), fixtures::pop3_client(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "starttls"), "requested");
}

TEST(DpiPop3, BareOkIsNotEnoughOffPort) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_pop3, ctx(Transport::tcp, false, 1, 6379), fixtures::text("+OK\r\n"), info),
              Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_pop3, ctx(Transport::tcp, false, 1, 110), fixtures::text("+OK\r\n"), info),
              Verdict::match_more);
}

TEST(DpiPop3, SharedClientCommandsWait) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_pop3, ctx(Transport::tcp, true, 1, 2), fixtures::ftp_client(), info),
              Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_pop3, ctx(Transport::tcp, true, 1, 2), fixtures::smtp_client(), info),
              Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_pop3, ctx(Transport::tcp, false, 1, 2), fixtures::imap_server(), info),
              Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
