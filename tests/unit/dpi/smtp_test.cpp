#include "dpi/protocols/smtp.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiSmtp, ServerBannerAndEhloReply) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_smtp, ctx(Transport::tcp, false, 40000, 25), fixtures::smtp_server(), info),
              Verdict::match);
    EXPECT_EQ(info.protocol, "SMTP");
    EXPECT_EQ(fixtures::text_of(info, "banner"), "mail.example.org ESMTP Postfix (Debian/GNU)");
    EXPECT_EQ(fixtures::text_of(info, "starttls"), "offered");
    EXPECT_EQ(fixtures::list_of(info, "auth_mechanisms"),
              (std::vector<std::string>{"PLAIN", "LOGIN"}));
    EXPECT_EQ(test::run_probe(probe_smtp, ctx(Transport::tcp, true, 40000, 25), fixtures::smtp_client(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "helo"), "client.example.org");
    EXPECT_EQ(fixtures::text_of(info, "starttls"), "requested");
}

TEST(DpiSmtp, BannerAloneFollowsForCapabilities) {
    snapshot::AppInfo info;
    const auto banner = fixtures::text("220 mx.example.net ESMTP ready\r\n");
    EXPECT_EQ(test::run_probe(probe_smtp, ctx(Transport::tcp, false, 40000, 2500), banner, info),
              Verdict::match_more);
    snapshot::AppInfo legacy;
    const auto old_auth = fixtures::text("220 mx ESMTP\r\n250-mx\r\n250 AUTH=LOGIN CRAM-MD5\r\n");
    EXPECT_EQ(test::run_probe(probe_smtp, ctx(Transport::tcp, false, 1, 2), old_auth, legacy), Verdict::match);
    EXPECT_EQ(fixtures::list_of(legacy, "auth_mechanisms"),
              (std::vector<std::string>{"LOGIN", "CRAM-MD5"}));
}

TEST(DpiSmtp, ClientHelloClassifies) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_smtp, ctx(Transport::tcp, true, 1, 2), fixtures::text("EHL"), info),
              Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_smtp, ctx(Transport::tcp, true, 1, 2), fixtures::text("HELO pc1\r\n"), info),
              Verdict::match_more);
    EXPECT_EQ(fixtures::text_of(info, "helo"), "pc1");
}

TEST(DpiSmtp, RejectsOtherBanners) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_smtp, ctx(Transport::tcp, false, 1, 21), fixtures::ftp_server(), info),
              Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_smtp, ctx(Transport::tcp, true, 1, 25), fixtures::ftp_client(), info),
              Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_smtp, ctx(Transport::tcp, false, 1, 25), fixtures::pop3_server(), info),
              Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
