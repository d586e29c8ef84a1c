#include "dpi/protocols/bittorrent.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiBittorrent, HandshakeBothSides) {
    snapshot::AppInfo info;
    const auto mine = fixtures::bittorrent_handshake("-qB4250-abcdefghijkl");
    EXPECT_EQ(test::run_probe(probe_bittorrent, ctx(Transport::tcp, true, 40000, 6881), mine, info), Verdict::match);
    EXPECT_EQ(info.protocol, "BitTorrent");
    EXPECT_EQ(fixtures::text_of(info, "info_hash"), "0102030405060708090a0b0c0d0e0f1011121314");
    EXPECT_EQ(fixtures::text_of(info, "peer_client"), "qB4250");
    const auto theirs = fixtures::bittorrent_handshake("S58B-----abcdefghijk");
    EXPECT_EQ(test::run_probe(probe_bittorrent, ctx(Transport::tcp, false, 40000, 6881), theirs, info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "remote_peer_client"), "S58B");
}

TEST(DpiBittorrent, PartialHandshakeWaits) {
    const auto hs = fixtures::bittorrent_handshake("-TR3000-abcdefghijkl");
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_bittorrent, ctx(Transport::tcp, true, 1, 2),
                               std::span<const std::uint8_t>(hs.data(), 30), info),
              Verdict::need_more);
    auto wrong = hs;
    wrong[5] = 'x';
    EXPECT_EQ(test::run_probe(probe_bittorrent, ctx(Transport::tcp, true, 1, 2), wrong, info), Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

TEST(DpiBittorrent, DhtQueryAndResponse) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_bittorrent, ctx(Transport::udp, true, 1, 2), fixtures::dht_query(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "dht_message"), "query");
    EXPECT_EQ(fixtures::text_of(info, "dht_query"), "ping");
    snapshot::AppInfo resp;
    EXPECT_EQ(test::run_probe(probe_bittorrent, ctx(Transport::udp, false, 1, 2), fixtures::dht_response(), resp),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(resp, "dht_message"), "response");
}

TEST(DpiBittorrent, DhtRejectsNearMisses) {
    snapshot::AppInfo info;
    const auto p = [&](std::string_view s) {
        return test::run_probe(probe_bittorrent, ctx(Transport::udp, true, 1, 2), fixtures::text(s), info);
    };
    EXPECT_EQ(p("d1:q4:ping1:t2:aa1:y1:qe trailing"), Verdict::no_match);
    EXPECT_EQ(p("d1:q4:ping1:y1:qe"), Verdict::no_match);              // no transaction id
    EXPECT_EQ(p("d1:q4:ping1:t2:aa1:y1:xe"), Verdict::no_match);       // unknown type
    EXPECT_EQ(p("d1:t2:aa1:y1:q"), Verdict::no_match);                 // unterminated
    EXPECT_EQ(p("d1:t99999999:aa1:y1:qe"), Verdict::no_match);         // absurd length
    EXPECT_EQ(p("d1:al" + std::string(100, 'l')), Verdict::no_match);  // deep nesting
    EXPECT_TRUE(info.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
