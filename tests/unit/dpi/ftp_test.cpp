#include "dpi/protocols/ftp.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiFtp, ServerBannerClassifiesAndClientFieldsFollow) {
    snapshot::AppInfo info;
    const auto server = fixtures::ftp_server();
    EXPECT_EQ(test::run_probe(probe_ftp, ctx(Transport::tcp, false, 40000, 21), server, info), Verdict::match_more);
    EXPECT_EQ(info.protocol, "FTP");
    EXPECT_EQ(fixtures::text_of(info, "banner"), "(vsFTPd 3.0.3)");
    EXPECT_EQ(fixtures::list_of(info, "reply_codes"),
              (std::vector<std::string>{"220", "331", "230"}));
    const auto client = fixtures::ftp_client();
    EXPECT_EQ(test::run_probe(probe_ftp, ctx(Transport::tcp, true, 40000, 21), client, info), Verdict::match_more);
    EXPECT_EQ(fixtures::text_of(info, "user"), "anonymous");
    EXPECT_EQ(fixtures::list_of(info, "commands"),
              (std::vector<std::string>{"USER", "PASS", "SYST", "PASV"}));
}

TEST(DpiFtp, BannerWithoutFtpWordNeedsPortOrFtpReply) {
    snapshot::AppInfo info;
    const auto banner = fixtures::text("220 Welcome\r\n");
    EXPECT_EQ(test::run_probe(probe_ftp, ctx(Transport::tcp, false, 40000, 2121), banner, info), Verdict::need_more);
    EXPECT_TRUE(info.protocol.empty());
    EXPECT_EQ(test::run_probe(probe_ftp, ctx(Transport::tcp, false, 40000, 21), banner, info), Verdict::match_more);
    snapshot::AppInfo other;
    const auto more = fixtures::text("220 Welcome\r\n331 Password required\r\n");
    EXPECT_EQ(test::run_probe(probe_ftp, ctx(Transport::tcp, false, 40000, 2121), more, other), Verdict::match_more);
}

TEST(DpiFtp, ClientCommandsDecideOnlyWhenFtpSpecific) {
    snapshot::AppInfo info;
    EXPECT_EQ(
        test::run_probe(probe_ftp, ctx(Transport::tcp, true, 40000, 2121), fixtures::text("USER bob\r\n"), info),
        Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_ftp, ctx(Transport::tcp, true, 40000, 2121),
                        fixtures::text("USER bob\r\nPASS x\r\nPWD\r\n"), info),
              Verdict::match_more);
    snapshot::AppInfo tls;
    EXPECT_EQ(
        test::run_probe(probe_ftp, ctx(Transport::tcp, true, 40000, 2121), fixtures::text("AUTH TLS\r\n"), tls),
        Verdict::match);
}

TEST(DpiFtp, PartialAndForeignInput) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_ftp, ctx(Transport::tcp, false, 1, 21), fixtures::text("22"), info),
              Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_ftp, ctx(Transport::tcp, false, 1, 21), fixtures::text("SSH-2.0-x\r\n"), info),
              Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_ftp, ctx(Transport::tcp, false, 1, 25), fixtures::smtp_server(), info),
              Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_ftp, ctx(Transport::udp, false, 1, 21), fixtures::ftp_server(), info),
              Verdict::no_match);
    EXPECT_TRUE(info.fields.empty());
}

}  // namespace
}  // namespace sockeye::dpi
