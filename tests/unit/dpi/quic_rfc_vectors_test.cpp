// QUIC Initial protection against the published vectors: RFC 9001
// Appendix A (v1) and RFC 9369 Appendix A (v2). Keys, header protection,
// the whole protected client Initial -> frames -> ClientHello -> fields.
#include <gtest/gtest.h>

#include <vector>

#include "dpi/protocols/quic.hpp"
#include "dpi/protocols/quic_frames.hpp"
#include "dpi/protocols/quic_header.hpp"
#include "dpi/protocols/quic_initial.hpp"
#include "unit/dpi/quic_test_util.hpp"

namespace sockeye::dpi::quic {
namespace {

using test::from_hex;
using test::hex_of;

template <typename Array>
std::string hex_arr(const Array& a) {
    return hex_of(std::vector<std::uint8_t>(a.begin(), a.end()));
}

struct CryptoCollector final : FrameSink {
    std::vector<std::pair<std::uint64_t, std::vector<std::uint8_t>>> crypto;
    int closes = 0;
    void on_crypto(std::uint64_t offset, std::span<const std::uint8_t> data) override {
        crypto.emplace_back(offset, std::vector<std::uint8_t>(data.begin(), data.end()));
    }
    void on_connection_close(bool, std::uint64_t, std::uint64_t,
                             std::span<const std::uint8_t>) override {
        ++closes;
    }
};

TEST(QuicRfcVectors, V1InitialKeys) {
    InitialKeys keys;
    ASSERT_TRUE(derive_initial_keys(kVersion1, from_hex(test::kRfcDcid), keys));
    EXPECT_EQ(hex_arr(keys.client.key()), "1f369613dd76d5467730efcbe3b1a22d");
    EXPECT_EQ(hex_arr(keys.client.iv()), "fa044b2f42a3fd3b46fb255c");
    EXPECT_EQ(hex_arr(keys.client.hp()), "9f50449e04a0e810283a1e9933adedd2");
    EXPECT_EQ(hex_arr(keys.server.key()), "cf3a5331653c364c88f0f379b6067e37");
    EXPECT_EQ(hex_arr(keys.server.iv()), "0ac1493ca1905853b0bba03e");
    EXPECT_EQ(hex_arr(keys.server.hp()), "c206b8d9b9f0f37644430b490eeaa314");
}

TEST(QuicRfcVectors, V2InitialKeys) {
    InitialKeys keys;
    ASSERT_TRUE(derive_initial_keys(kVersion2, from_hex(test::kRfcDcid), keys));
    EXPECT_EQ(hex_arr(keys.client.key()), "8b1a0bc121284290a29e0971b5cd045d");
    EXPECT_EQ(hex_arr(keys.client.iv()), "91f73e2351d8fa91660e909f");
    EXPECT_EQ(hex_arr(keys.client.hp()), "45b95e15235d6f45a6b19cbcb0294ba9");
    EXPECT_EQ(hex_arr(keys.server.key()), "82db637861d55e1d011f19ea71d5d2a7");
    EXPECT_EQ(hex_arr(keys.server.iv()), "dd13c276499c0249d3310652");
    EXPECT_EQ(hex_arr(keys.server.hp()), "edf6d05c83121201b436e16877593c3a");
}

TEST(QuicRfcVectors, NoSaltForUnknownVersions) {
    InitialKeys keys;
    EXPECT_FALSE(derive_initial_keys(0x1a2a3a4a, from_hex(test::kRfcDcid), keys));
    EXPECT_FALSE(initial_salt(0xff00001d).empty());  // draft-29
    EXPECT_TRUE(initial_salt(0xff000010).empty());   // draft-16: too old
}

void check_opens(std::uint32_t version, std::string_view packet_hex,
                 std::string_view expected_header) {
    const auto packet = from_hex(packet_hex);
    ASSERT_EQ(packet.size(), 1200u);
    LongHeader hdr;
    ASSERT_EQ(parse_long_header(packet, hdr), HeaderStatus::ok);
    EXPECT_EQ(hdr.version, version);
    EXPECT_EQ(hdr.type, PacketType::initial);
    EXPECT_EQ(hex_of({hdr.dcid.begin(), hdr.dcid.end()}), test::kRfcDcid);
    EXPECT_TRUE(hdr.scid.empty());
    EXPECT_TRUE(hdr.token.empty());
    EXPECT_EQ(hdr.pn_offset, 18u);
    EXPECT_EQ(hdr.packet_size, 1200u);

    InitialKeys keys;
    ASSERT_TRUE(derive_initial_keys(version, hdr.dcid, keys));
    std::vector<std::uint8_t> scratch(packet.size());
    OpenedPacket opened;
    ASSERT_EQ(open_long_packet(keys.client, packet, hdr.pn_offset, 0, scratch, opened),
              OpenStatus::ok);
    EXPECT_EQ(opened.packet_number, 2u);
    EXPECT_EQ(hex_of({opened.header.begin(), opened.header.end()}), expected_header);
    // 1200 - 22 header - 16 tag: the CRYPTO frame then PADDING.
    ASSERT_EQ(opened.payload.size(), 1162u);
    const auto frame = from_hex(test::kRfcCryptoFrame);
    EXPECT_TRUE(std::equal(frame.begin(), frame.end(), opened.payload.begin()));

    CryptoCollector sink;
    FrameStats stats;
    EXPECT_EQ(parse_frames(opened.payload, sink, &stats), FrameStatus::ok);
    ASSERT_EQ(sink.crypto.size(), 1u);
    EXPECT_EQ(sink.crypto[0].first, 0u);
    EXPECT_EQ(sink.crypto[0].second, std::vector<std::uint8_t>(frame.begin() + 4, frame.end()));
    EXPECT_EQ(stats.padding_bytes, 1162u - frame.size());
}

TEST(QuicRfcVectors, V1ClientInitialOpens) {
    check_opens(kVersion1, test::kRfc9001ClientInitial,
                "c300000001088394c8f03e5157080000449e00000002");
}

TEST(QuicRfcVectors, V2ClientInitialOpens) {
    check_opens(kVersion2, test::kRfc9369ClientInitial,
                "d36b3343cf088394c8f03e5157080000449e00000002");
}

TEST(QuicRfcVectors, WrongKeysDoNotOpen) {
    const auto packet = from_hex(test::kRfc9001ClientInitial);
    LongHeader hdr;
    ASSERT_EQ(parse_long_header(packet, hdr), HeaderStatus::ok);
    InitialKeys keys;
    ASSERT_TRUE(derive_initial_keys(kVersion2, hdr.dcid, keys));  // v2 keys on a v1 packet
    std::vector<std::uint8_t> scratch(packet.size());
    OpenedPacket opened;
    EXPECT_EQ(open_long_packet(keys.client, packet, hdr.pn_offset, 0, scratch, opened),
              OpenStatus::auth_failed);
    ASSERT_TRUE(derive_initial_keys(kVersion1, hdr.dcid, keys));
    EXPECT_EQ(open_long_packet(keys.server, packet, hdr.pn_offset, 0, scratch, opened),
              OpenStatus::auth_failed);
    std::vector<std::uint8_t> small(100);
    EXPECT_EQ(open_long_packet(keys.client, packet, hdr.pn_offset, 0, small, opened),
              OpenStatus::no_scratch);
}

void check_tracker(std::string_view packet_hex, std::string_view version_name_expected) {
    const auto packet = from_hex(packet_hex);
    ASSERT_TRUE(QuicTracker::looks_like_quic(packet));
    QuicTracker tracker;
    snapshot::AppInfo info;
    EXPECT_EQ(tracker.on_datagram(packet, true, 0, info), Verdict::match);
    EXPECT_TRUE(tracker.info_changed());
    EXPECT_TRUE(tracker.client_hello_parsed());
    EXPECT_TRUE(info.protocol.empty()) << "the registry entry names the protocol, not the parser";
    EXPECT_EQ(info.domain, "example.com");
    ASSERT_NE(info.find("version"), nullptr);
    EXPECT_EQ(info.find("version")->text, version_name_expected);
    ASSERT_NE(info.find("state"), nullptr);
    EXPECT_EQ(info.find("state")->text, "INITIAL");
    ASSERT_NE(info.find("dcid"), nullptr);
    EXPECT_EQ(info.find("dcid")->text, test::kRfcDcid);
    ASSERT_NE(info.find("scid"), nullptr);
    EXPECT_EQ(info.find("scid")->text, "");
    ASSERT_NE(info.find("sni"), nullptr);
    EXPECT_EQ(info.find("sni")->text, "example.com");
    const auto* alpn = info.find("alpn");
    ASSERT_NE(alpn, nullptr);
    const bool alpn_ok = alpn->kind == snapshot::AppField::Kind::list
                             ? alpn->list == std::vector<std::string>{"alpn"}
                             : alpn->text == "alpn";
    EXPECT_TRUE(alpn_ok);
    const auto* ja4 = info.find("ja4");
    ASSERT_NE(ja4, nullptr);
    // QUIC, TLS 1.3, SNI present, 2 suites, 11 extensions, ALPN "alpn".
    EXPECT_EQ(ja4->text.substr(0, 10), "q13d0211an");
}

TEST(QuicRfcVectors, V1TrackerReadsClientHello) { check_tracker(test::kRfc9001ClientInitial, "v1"); }

TEST(QuicRfcVectors, V2TrackerReadsClientHello) { check_tracker(test::kRfc9369ClientInitial, "v2"); }

}  // namespace
}  // namespace sockeye::dpi::quic
