// FTP's data connections: the control connection announces where each will
// come (PASV/EPSV replies, PORT/EPRT commands), and the detector labels that
// connection FTP-DATA at its first packet, which content alone cannot do.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "dpi/detector.hpp"
#include "dpi/expectations.hpp"
#include "dpi/protocols/ftp.hpp"
#include "unit/dpi/detector_fixture.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using test::as_bytes;

const core::IpAddress kClient = core::IpAddress::parse("10.0.0.1");
const core::IpAddress kServer = core::IpAddress::parse("10.0.0.2");

std::vector<ExpectedFlow> announced(bool from_client, std::string_view text) {
    snapshot::AppInfo info;
    info.protocol = "FTP";  // following an FTP control connection
    std::vector<ExpectedFlow> out;
    ProbeContext ctx = test::tcp_ctx(from_client, 21);
    ctx.expected_flows = &out;
    EXPECT_NE(test::run_probe(probe_ftp, ctx, as_bytes(text), info), Verdict::no_match) << text;
    return out;
}

TEST(FtpData, PassiveRepliesAndActiveCommandsAnnounceTheServerSide) {
    auto pasv = announced(false, "227 Entering Passive Mode (10,0,0,2,195,80).\r\n");
    ASSERT_EQ(pasv.size(), 1u);
    EXPECT_EQ(pasv[0].address, kServer);
    EXPECT_EQ(pasv[0].port, 195 * 256 + 80);

    auto epsv = announced(false, "229 Entering Extended Passive Mode (|||50001|)\r\n");
    ASSERT_EQ(epsv.size(), 1u);
    EXPECT_FALSE(epsv[0].address.has_value()) << "EPSV names only the port";
    EXPECT_EQ(epsv[0].port, 50001);

    auto port = announced(true, "PORT 10,0,0,1,200,10\r\n");
    ASSERT_EQ(port.size(), 1u);
    EXPECT_EQ(port[0].address, kClient);
    EXPECT_EQ(port[0].port, 200 * 256 + 10);

    auto eprt = announced(true, "EPRT |2|2001:db8::1|50002|\r\n");
    ASSERT_EQ(eprt.size(), 1u);
    EXPECT_EQ(eprt[0].address, core::IpAddress::parse("2001:db8::1"));
    EXPECT_EQ(eprt[0].port, 50002);
}

TEST(FtpData, MalformedAnnouncementsAnnounceNothing) {
    for (const char* reply : {"227 Entering Passive Mode (10,0,0,2,195).\r\n",
                              "227 Entering Passive Mode (10,0,0,256,1,1).\r\n",
                              "227 Entering Passive Mode (10,0,0,2,0,0).\r\n",
                              "229 Entering Extended Passive Mode (|||99999|)\r\n",
                              "229 Entering Extended Passive Mode (|||)\r\n",
                              "229 Extended Passive Mode |||1|\r\n"}) {
        EXPECT_TRUE(announced(false, reply).empty()) << reply;
    }
    for (const char* command : {"PORT 10,0,0,1\r\n", "EPRT |2|not-an-address|50002|\r\n",
                                "EPRT |1|10.0.0.1|0|\r\n", "EPRT ||\r\n"}) {
        EXPECT_TRUE(announced(true, command).empty()) << command;
    }
}

TEST(FtpData, ExpectationsAreUsedOnceAndExpire) {
    ExpectationTable table(4, 1'000);
    const snapshot::Announcer control{kClient, kServer, 40000, 21};
    const ExpectationTable::Expected ftp_data{"FTP-DATA", control};
    const auto protocol_of = [](const std::optional<ExpectationTable::Expected>& e) {
        return e ? std::optional<std::string_view>(e->protocol) : std::nullopt;
    };
    table.add(kServer, 5000, ftp_data, 0);
    EXPECT_EQ(table.take(kServer, 5001, 10), std::nullopt);
    EXPECT_EQ(table.take(kClient, 5000, 10), std::nullopt);
    const auto taken = table.take(kServer, 5000, 10);
    ASSERT_TRUE(taken.has_value());
    EXPECT_EQ(taken->protocol, "FTP-DATA");
    EXPECT_EQ(taken->announcer, control);
    EXPECT_EQ(table.take(kServer, 5000, 10), std::nullopt) << "used once";

    table.add(kServer, 5000, ftp_data, 0);
    EXPECT_EQ(table.take(kServer, 5000, 1'001), std::nullopt) << "expired";

    for (std::uint16_t p = 1; p <= 6; ++p) table.add(kServer, p, ftp_data, p);
    EXPECT_LE(table.size(), 4u);
    EXPECT_EQ(protocol_of(table.take(kServer, 6, 6)), "FTP-DATA") << "the newest stays";
}

decode::DecodedFrame tcp_frame(const core::IpAddress& src, std::uint16_t sport,
                               const core::IpAddress& dst, std::uint16_t dport,
                               std::string_view payload, std::uint32_t seq, std::uint8_t flags,
                               std::int64_t ts_ns) {
    decode::DecodedFrame f;
    f.ts_ns = ts_ns;
    f.network = decode::Network::ipv4;
    f.transport = decode::Transport::tcp;
    f.src_ip = src;
    f.dst_ip = dst;
    f.src_port = sport;
    f.dst_port = dport;
    f.tcp.seq = seq;
    f.tcp.flags = flags;
    f.payload = as_bytes(payload);
    f.payload_len = static_cast<std::uint32_t>(payload.size());
    return f;
}

TEST(FtpData, TheDetectorLabelsTheAnnouncedConnection) {
    using decode::tcp_flag::kAck;
    using decode::tcp_flag::kSyn;
    Detector d;
    const FlowRef control{1, 1, true};
    const FlowRef control_back{1, 1, false};
    std::int64_t t = 1'000'000'000;
    d.inspect(control, tcp_frame(kClient, 40000, kServer, 21, "", 100, kSyn, t));
    d.inspect(control_back, tcp_frame(kServer, 21, kClient, 40000, "", 500, kSyn | kAck, t));
    const std::string banner = "220 FTP server ready\r\n";
    auto info = d.inspect(control_back, tcp_frame(kServer, 21, kClient, 40000, banner, 501, kAck, t += 1000));
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->protocol, "FTP");
    const std::string epsv = "EPSV\r\n";
    d.inspect(control, tcp_frame(kClient, 40000, kServer, 21, epsv, 101, kAck, t += 1000));
    const std::string reply = "229 Entering Extended Passive Mode (|||50001|)\r\n";
    d.inspect(control_back, tcp_frame(kServer, 21, kClient, 40000, reply,
                                      501 + static_cast<std::uint32_t>(banner.size()), kAck, t += 1000));

    // Another connection to the server is not it; the announced one is.
    EXPECT_EQ(d.inspect(FlowRef{2, 2, true}, tcp_frame(kClient, 40001, kServer, 50002, "", 1, kSyn, t)),
              nullptr);
    const auto data = d.inspect(FlowRef{3, 3, true}, tcp_frame(kClient, 40002, kServer, 50001, "", 1, kSyn, t));
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->protocol, "FTP-DATA");
    // It names the control connection, so it can take that one's process.
    ASSERT_TRUE(data->announced_by.has_value());
    EXPECT_EQ(*data->announced_by, (snapshot::Announcer{kClient, kServer, 40000, 21}));
    // Nothing more is inspected on it, and a second connection to the same
    // port is not labelled (an announcement is used once).
    EXPECT_EQ(d.inspect(FlowRef{3, 3, true}, tcp_frame(kClient, 40002, kServer, 50001, "abc", 2, kAck, t)),
              nullptr);
    EXPECT_EQ(d.inspect(FlowRef{4, 4, true}, tcp_frame(kClient, 40003, kServer, 50001, "", 1, kSyn, t)),
              nullptr);
}

}  // namespace
}  // namespace sockeye::dpi
