// QuicTracker over built packets: CRYPTO reassembly across packets and
// coalesced packets, out of order; version negotiation; v2 type mapping;
// Retry; states up to CONNECTED and CLOSED; garbage and truncation.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "dpi/protocols/quic.hpp"
#include "dpi/protocols/quic_builder.hpp"
#include "unit/dpi/quic_test_util.hpp"

namespace sockeye::dpi::quic {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::from_hex;

const Bytes kClientDcid = from_hex(test::kRfcDcid);
const Bytes kClientScid = from_hex("c1c2c3c4");
const Bytes kServerScid = from_hex("5e5e5e5e5e5e5e5e");

Bytes client_hello() {
    const auto frame = from_hex(test::kRfcCryptoFrame);
    return Bytes(frame.begin() + 4, frame.end());  // 0x06, offset 0, 2-byte length
}

Bytes crypto_frames(std::initializer_list<std::pair<std::size_t, std::size_t>> pieces) {
    const Bytes hello = client_hello();
    Bytes out;
    for (const auto& [begin, end] : pieces)
        append_crypto_frame(out, begin,
                            std::span<const std::uint8_t>(hello).subspan(begin, end - begin));
    return out;
}

Bytes client_initial(const Bytes& frames, std::uint64_t pn, std::uint32_t version = kVersion1,
                     std::size_t pad_to = 1200) {
    InitialSpec spec;
    spec.version = version;
    spec.dcid = kClientDcid;
    spec.scid = kClientScid;
    spec.frames = frames;
    spec.packet_number = pn;
    spec.pad_to = pad_to;
    return build_initial(spec);
}

Bytes server_initial(const Bytes& frames, std::uint64_t pn, std::uint32_t version = kVersion1) {
    InitialSpec spec;
    spec.version = version;
    spec.dcid = kClientScid;
    spec.scid = kServerScid;
    spec.key_dcid = kClientDcid;
    spec.from_server = true;
    spec.frames = frames;
    spec.packet_number = pn;
    spec.pn_length = 2;
    return build_initial(spec);
}

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

std::string text(const snapshot::AppInfo& info, std::string_view name) {
    const auto* f = info.find(name);
    return f == nullptr ? "<missing>" : f->text;
}

TEST(QuicHeader, VarintRfc9000Examples) {
    const struct {
        const char* hex;
        std::uint64_t value;
    } cases[] = {{"c2197c5eff14e88c", 151288809941952652u},
                 {"9d7f3e7d", 494878333u},
                 {"7bbd", 15293u},
                 {"25", 37u},
                 {"4025", 37u}};
    for (const auto& c : cases) {
        const auto bytes = from_hex(c.hex);
        core::ByteReader r(bytes);
        EXPECT_EQ(read_varint(r), c.value) << c.hex;
        EXPECT_TRUE(r.ok() && r.empty()) << c.hex;
    }
    const auto truncated = from_hex("9d7f3e");
    core::ByteReader r(truncated);
    EXPECT_EQ(read_varint(r), 0u);
    EXPECT_FALSE(r.ok());
}

TEST(QuicHeader, PacketNumberRfc9000A3) {
    EXPECT_EQ(decode_packet_number(0xa82f30ea + 1, 0x9b32, 2), 0xa82f9b32u);
    EXPECT_EQ(decode_packet_number(0, 2, 4), 2u);
    EXPECT_EQ(decode_packet_number(0x100, 0xff, 1), 0xffu);   // just below expected
    EXPECT_EQ(decode_packet_number(0x1fe, 0x01, 1), 0x201u);  // wrapped forward
}

TEST(QuicHeader, VersionNamesAndV2TypeMapping) {
    EXPECT_EQ(version_name(kVersion1), "v1");
    EXPECT_EQ(version_name(kVersion2), "v2");
    EXPECT_EQ(version_name(0xff00001d), "draft-29");
    EXPECT_EQ(version_name(0x1a2a3a4a), "0x1a2a3a4a");
    EXPECT_TRUE(is_reserved_version(0x1a2a3a4a));
    EXPECT_TRUE(is_reserved_version(0x7a2afaaa));
    EXPECT_FALSE(is_reserved_version(kVersion1));
    LongHeader guessed;
    const Bytes unknown = build_long_packet(kVersion1, PacketType::initial, kClientDcid,
                                            kClientScid, Bytes(10, 0));
    Bytes reserved = unknown;
    reserved[1] = 0x1a;  // version 0x1a000001: unknown, not reserved
    ASSERT_EQ(parse_unknown_long_header(reserved, guessed), HeaderStatus::ok);
    EXPECT_EQ(guessed.layout_version, kVersion1);
    EXPECT_EQ(guessed.type, PacketType::initial);
    reserved[1] = 0x1a; reserved[2] = 0x2a; reserved[3] = 0x3a; reserved[4] = 0x4a;
    ASSERT_EQ(parse_unknown_long_header(reserved, guessed), HeaderStatus::ok);
    EXPECT_EQ(guessed.layout_version, 0xff00001du);
    ASSERT_EQ(parse_long_header(reserved, guessed), HeaderStatus::ok);
    EXPECT_EQ(guessed.type, PacketType::unknown);
    // Same bits, different types: v1 0b00 Initial, v2 0b01 Initial.
    EXPECT_EQ(long_packet_type(kVersion1, 0xc0), PacketType::initial);
    EXPECT_EQ(long_packet_type(kVersion1, 0xd0), PacketType::zero_rtt);
    EXPECT_EQ(long_packet_type(kVersion1, 0xe0), PacketType::handshake);
    EXPECT_EQ(long_packet_type(kVersion1, 0xf0), PacketType::retry);
    EXPECT_EQ(long_packet_type(kVersion2, 0xc0), PacketType::retry);
    EXPECT_EQ(long_packet_type(kVersion2, 0xd0), PacketType::initial);
    EXPECT_EQ(long_packet_type(kVersion2, 0xe0), PacketType::zero_rtt);
    EXPECT_EQ(long_packet_type(kVersion2, 0xf0), PacketType::handshake);
    EXPECT_EQ(long_packet_type(0xff00001d, 0xe0), PacketType::handshake);
    EXPECT_EQ(long_packet_type(0, 0xe0), PacketType::version_negotiation);
}

TEST(QuicHeader, CoalescedPacketsSplit) {
    const Bytes hs = build_long_packet(kVersion1, PacketType::handshake, kClientScid,
                                       kServerScid, Bytes(40, 0xaa));
    const Bytes init = server_initial(Bytes{0x01}, 0);
    const Bytes dgram = concat({init, hs, Bytes(7, 0)});
    LongHeader hdr;
    ASSERT_EQ(parse_long_header(dgram, hdr), HeaderStatus::ok);
    EXPECT_EQ(hdr.type, PacketType::initial);
    EXPECT_EQ(hdr.packet_size, init.size());
    const auto rest = std::span<const std::uint8_t>(dgram).subspan(hdr.packet_size);
    ASSERT_EQ(parse_long_header(rest, hdr), HeaderStatus::ok);
    EXPECT_EQ(hdr.type, PacketType::handshake);
    EXPECT_EQ(hdr.packet_size, hs.size());
    EXPECT_EQ(parse_long_header(rest.subspan(hs.size()), hdr), HeaderStatus::short_header);
}

TEST(QuicHeader, RejectsBadLengths) {
    Bytes init = client_initial(crypto_frames({{0, 10}}), 0);
    LongHeader hdr;
    // Every truncation of the packet fails cleanly (Length overruns).
    for (std::size_t n = 0; n < init.size(); ++n)
        EXPECT_NE(parse_long_header(std::span<const std::uint8_t>(init).first(n), hdr),
                  HeaderStatus::ok)
            << n;
    init[5] = 21;  // DCID longer than v1 allows
    EXPECT_EQ(parse_long_header(init, hdr), HeaderStatus::malformed);
}

TEST(QuicTracker, CryptoSplitAcrossInitialsOutOfOrder) {
    const Bytes hello = client_hello();
    const Bytes second = client_initial(crypto_frames({{100, hello.size()}}), 1);
    const Bytes first = client_initial(crypto_frames({{0, 100}}), 0);
    QuicTracker tracker;
    snapshot::AppInfo info;
    EXPECT_EQ(tracker.on_datagram(second, true, 0, info), Verdict::match);
    EXPECT_FALSE(tracker.client_hello_parsed());
    EXPECT_EQ(info.domain, "");
    EXPECT_EQ(tracker.on_datagram(first, true, 1, info), Verdict::match);
    EXPECT_TRUE(tracker.client_hello_parsed());
    EXPECT_TRUE(tracker.info_changed());
    EXPECT_EQ(info.domain, "example.com");
    EXPECT_EQ(text(info, "dcid"), test::kRfcDcid);
    EXPECT_EQ(text(info, "scid"), "c1c2c3c4");
}

TEST(QuicTracker, CryptoShuffledInsideCoalescedInitials) {
    const Bytes hello = client_hello();
    // Chrome-style: out-of-order CRYPTO frames mixed with PING and PADDING,
    // in two Initials coalesced into one datagram.
    Bytes frames_a = crypto_frames({{150, hello.size()}});
    frames_a.push_back(0x01);
    frames_a.insert(frames_a.end(), 5, 0x00);
    const Bytes frames_b = concat({crypto_frames({{60, 150}}), Bytes{0x01},
                                   crypto_frames({{0, 70}})});
    const Bytes dgram = concat({client_initial(frames_a, 0, kVersion1, 0),
                                client_initial(frames_b, 1, kVersion1, 700)});
    QuicTracker tracker;
    snapshot::AppInfo info;
    EXPECT_EQ(tracker.on_datagram(dgram, true, 0, info), Verdict::match);
    EXPECT_TRUE(tracker.client_hello_parsed());
    EXPECT_EQ(info.domain, "example.com");
}

TEST(QuicTracker, V2InitialThroughHandshakeToConnected) {
    QuicTracker tracker;
    snapshot::AppInfo info;
    const Bytes hello = client_hello();
    ASSERT_EQ(tracker.on_datagram(client_initial(crypto_frames({{0, hello.size()}}), 0, kVersion2),
                                  true, 0, info),
              Verdict::match);
    EXPECT_EQ(text(info, "version"), "v2");
    EXPECT_EQ(text(info, "state"), "INITIAL");
    // Server: Initial (ACK) + Handshake coalesced, v2 type bits.
    const Bytes ack = {0x02, 0x00, 0x00, 0x00, 0x00};
    const Bytes hs = build_long_packet(kVersion2, PacketType::handshake, kClientScid, kServerScid,
                                       Bytes(60, 0x33));
    EXPECT_EQ(tracker.on_datagram(concat({server_initial(ack, 0, kVersion2), hs}), false, 1, info),
              Verdict::match);
    EXPECT_EQ(text(info, "state"), "HANDSHAKE");
    EXPECT_TRUE(tracker.server_cid().view().size() == kServerScid.size());
    // 1-RTT both ways, addressed to each side's CID.
    EXPECT_EQ(tracker.on_datagram(build_short_packet(kServerScid, 40), true, 2, info),
              Verdict::match);
    EXPECT_EQ(text(info, "state"), "HANDSHAKE");
    EXPECT_FALSE(tracker.finished());
    // A short packet with a CID that is not the client's does not count.
    EXPECT_EQ(tracker.on_datagram(build_short_packet(kServerScid, 40), false, 3, info),
              Verdict::match);
    EXPECT_EQ(text(info, "state"), "HANDSHAKE");
    // Greased fixed bit (RFC 9287): still counted, the DCID matches.
    Bytes greased = build_short_packet(kClientScid, 40);
    greased[0] &= static_cast<std::uint8_t>(~kFixedBit);
    EXPECT_EQ(tracker.on_datagram(greased, false, 4, info), Verdict::match);
    EXPECT_EQ(text(info, "state"), "CONNECTED");
    EXPECT_TRUE(tracker.finished());
    EXPECT_EQ(tracker.heap_bytes(), 0u);  // keys, CRYPTO buffer and scratch freed
    EXPECT_EQ(info.domain, "example.com");
}

TEST(QuicTracker, ServerConnectionCloseInInitial) {
    QuicTracker tracker;
    snapshot::AppInfo info;
    ASSERT_EQ(tracker.on_datagram(client_initial(crypto_frames({{0, 50}}), 0), true, 0, info),
              Verdict::match);
    Bytes close;
    const std::string reason = "no application protocol";
    append_close_frame(close, false, 0x0178, 0x06, Bytes(reason.begin(), reason.end()));
    EXPECT_EQ(tracker.on_datagram(server_initial(close, 0), false, 1, info), Verdict::match);
    EXPECT_EQ(tracker.state(), ConnectionState::closed);
    EXPECT_EQ(text(info, "state"), "CLOSED");
    EXPECT_EQ(text(info, "closed_by"), "server");
    EXPECT_EQ(text(info, "close_type"), "transport");
    EXPECT_EQ(text(info, "close_reason"), reason);
    ASSERT_NE(info.find("close_error"), nullptr);
    EXPECT_EQ(info.find("close_error")->number, 0x0178);
    EXPECT_TRUE(tracker.finished());
    EXPECT_EQ(tracker.heap_bytes(), 0u);
}

TEST(QuicTracker, ClientApplicationClose) {
    QuicTracker tracker;
    snapshot::AppInfo info;
    Bytes close;
    append_close_frame(close, true, 7, 0, {});
    ASSERT_EQ(tracker.on_datagram(client_initial(close, 0), true, 0, info), Verdict::match);
    EXPECT_EQ(text(info, "state"), "CLOSED");
    EXPECT_EQ(text(info, "closed_by"), "client");
    EXPECT_EQ(text(info, "close_type"), "application");
}

TEST(QuicTracker, VersionNegotiation) {
    QuicTracker tracker;
    snapshot::AppInfo info;
    const std::uint32_t grease = 0x1a2a3a4a;
    ASSERT_EQ(tracker.on_datagram(client_initial(crypto_frames({{0, 30}}), 0, 0xff00001d), true, 0,
                                  info),
              Verdict::match);
    EXPECT_EQ(text(info, "version"), "draft-29");
    const std::array<std::uint32_t, 3> versions = {kVersion1, kVersion2, grease};
    const Bytes vn = build_version_negotiation(kClientScid, kClientDcid, versions);
    EXPECT_TRUE(QuicTracker::looks_like_quic(vn));
    EXPECT_EQ(tracker.on_datagram(vn, false, 1, info), Verdict::match);
    const auto* listed = info.find("versions");
    ASSERT_NE(listed, nullptr);
    EXPECT_EQ(listed->list, (std::vector<std::string>{"v1", "v2", "0x1a2a3a4a"}));
    // The client retries with v1; the version follows.
    EXPECT_EQ(tracker.on_datagram(client_initial(crypto_frames({{0, 30}}), 1), true, 2, info),
              Verdict::match);
    EXPECT_EQ(text(info, "version"), "v1");
}

TEST(QuicTracker, VersionNegotiationAloneIsConfirmedByEcho) {
    // Unknown-to-us client version: headers only, then the server's VN
    // echoing the client's CIDs confirms QUIC.
    QuicTracker tracker;
    snapshot::AppInfo info;
    Bytes probe = build_long_packet(0xff000010, PacketType::initial, kClientDcid, kClientScid,
                                    Bytes(1100, 0));
    ASSERT_TRUE(QuicTracker::looks_like_quic(probe));
    EXPECT_EQ(tracker.on_datagram(probe, true, 0, info), Verdict::need_more);
    EXPECT_EQ(text(info, "dcid"), test::kRfcDcid);
    const std::array<std::uint32_t, 1> versions = {kVersion1};
    EXPECT_EQ(tracker.on_datagram(build_version_negotiation(kClientScid, kClientDcid, versions),
                                  false, 1, info),
              Verdict::match);
}

TEST(QuicTracker, ReservedVersionProbeThenNegotiation) {
    // A client probing with a reserved version builds its Initial like
    // draft-29 (ngtcp2 does); those keys open it, and the VN answer follows.
    const std::uint32_t reserved = 0x1a2a3a4a;
    const Bytes hello = client_hello();
    const Bytes frames = crypto_frames({{0, hello.size()}});
    InitialSpec spec;
    spec.version = reserved;
    spec.layout_version = 0xff00001d;
    spec.dcid = kClientDcid;
    spec.scid = kClientScid;
    spec.frames = frames;
    spec.pad_to = 1200;
    const Bytes probe = build_initial(spec);
    ASSERT_EQ(probe.size(), 1200u);
    EXPECT_TRUE(QuicTracker::looks_like_quic(probe));
    EXPECT_FALSE(QuicTracker::looks_like_quic(std::span<const std::uint8_t>(probe).first(1199)));
    QuicTracker tracker;
    snapshot::AppInfo info;
    EXPECT_EQ(tracker.on_datagram(probe, true, 0, info), Verdict::match);
    EXPECT_EQ(text(info, "version"), "0x1a2a3a4a");
    EXPECT_EQ(info.domain, "example.com");
    const std::array<std::uint32_t, 1> versions = {kVersion1};
    EXPECT_EQ(tracker.on_datagram(build_version_negotiation(kClientScid, kClientDcid, versions),
                                  false, 1, info),
              Verdict::match);
    ASSERT_NE(info.find("versions"), nullptr);

    // Without keys that open it, the same probe only counts once answered.
    Bytes opaque = probe;
    opaque[40] ^= 1;
    QuicTracker other;
    snapshot::AppInfo other_info;
    EXPECT_EQ(other.on_datagram(opaque, true, 0, other_info), Verdict::need_more);
    EXPECT_EQ(text(other_info, "dcid"), test::kRfcDcid);
    EXPECT_EQ(other.on_datagram(build_version_negotiation(kClientScid, kClientDcid, versions),
                                false, 1, other_info),
              Verdict::match);
}

TEST(QuicTracker, RetryChangesTheKeys) {
    QuicTracker tracker;
    snapshot::AppInfo info;
    ASSERT_EQ(tracker.on_datagram(client_initial(crypto_frames({{0, 40}}), 0), true, 0, info),
              Verdict::match);
    Bytes retry = build_long_packet(kVersion1, PacketType::retry, kClientScid, kServerScid,
                                    Bytes(16 + 20, 0x77));  // token + integrity tag
    EXPECT_EQ(tracker.on_datagram(retry, false, 1, info), Verdict::match);
    // The client starts over towards the Retry's SCID, with keys from it.
    const Bytes hello = client_hello();
    const Bytes frames = crypto_frames({{0, hello.size()}});
    const Bytes token(20, 0x77);
    InitialSpec spec;
    spec.dcid = kServerScid;
    spec.scid = kClientScid;
    spec.token = token;
    spec.frames = frames;
    spec.packet_number = 1;
    spec.pad_to = 1200;
    const Bytes again = build_initial(spec);
    EXPECT_EQ(tracker.on_datagram(again, true, 2, info), Verdict::match);
    EXPECT_TRUE(tracker.client_hello_parsed());
    EXPECT_EQ(text(info, "dcid"), test::kRfcDcid);  // the first DCID stays reported
}

TEST(QuicTracker, CaptureStartingWithServerSide) {
    // The flow record's source is the server: its Initial cannot be opened
    // yet; the client's Initial (from the destination) establishes the sides.
    QuicTracker tracker;
    snapshot::AppInfo info;
    const Bytes ack = {0x02, 0x00, 0x00, 0x00, 0x00};
    EXPECT_EQ(tracker.on_datagram(server_initial(ack, 0), true, 0, info), Verdict::need_more);
    const Bytes hello = client_hello();
    EXPECT_EQ(tracker.on_datagram(client_initial(crypto_frames({{0, hello.size()}}), 0), false, 1,
                                  info),
              Verdict::match);
    EXPECT_EQ(info.domain, "example.com");
    EXPECT_EQ(tracker.client_cid().view().size(), kClientScid.size());
    EXPECT_EQ(tracker.server_cid().view().size(), kServerScid.size());
    EXPECT_EQ(tracker.on_datagram(build_short_packet(kClientScid, 30), true, 2, info),
              Verdict::match);
    EXPECT_EQ(tracker.on_datagram(build_short_packet(kServerScid, 30), false, 3, info),
              Verdict::match);
    EXPECT_EQ(text(info, "state"), "CONNECTED");
}

TEST(QuicTracker, GarbageIsNoMatchAndLeavesInfo) {
    const Bytes junk = {0xc0, 0x00, 0x00, 0x00, 0x01, 0xff, 0x01};
    snapshot::AppInfo info;
    info.protocol = "previous";
    QuicTracker tracker;
    EXPECT_FALSE(QuicTracker::looks_like_quic(junk));
    EXPECT_EQ(tracker.on_datagram(junk, true, 0, info), Verdict::no_match);
    EXPECT_EQ(info.protocol, "previous");
    EXPECT_TRUE(info.fields.empty());
    const Bytes dns = from_hex("12340100000100000000000003777777076578616d706c6503636f6d0000010001");
    EXPECT_EQ(tracker.on_datagram(dns, true, 0, info), Verdict::no_match);
    EXPECT_FALSE(QuicTracker::looks_like_quic(Bytes{}));
    // A short header cannot start a QUIC flow for us.
    EXPECT_FALSE(QuicTracker::looks_like_quic(build_short_packet(kClientDcid, 40)));
}

TEST(QuicTracker, TruncatedAndCorruptedRfcPacket) {
    const Bytes packet = from_hex(test::kRfc9001ClientInitial);
    for (std::size_t n = 0; n < packet.size(); n += 7) {
        QuicTracker tracker;
        snapshot::AppInfo info;
        const auto v = tracker.on_datagram(std::span<const std::uint8_t>(packet).first(n), true,
                                           0, info);
        EXPECT_NE(v, Verdict::match) << n;
    }
    for (std::size_t i = 0; i < packet.size(); i += 13) {
        Bytes bad = packet;
        bad[i] ^= 0x20;
        QuicTracker tracker;
        snapshot::AppInfo info;
        (void)tracker.on_datagram(bad, true, 0, info);
        EXPECT_FALSE(tracker.client_hello_parsed()) << i;  // the AEAD tag catches it
    }
}

TEST(QuicTracker, UnconfirmedFlowsGiveUp) {
    QuicTracker tracker;
    snapshot::AppInfo info;
    const Bytes probe = build_long_packet(0xff000010, PacketType::initial, kClientDcid,
                                          kClientScid, Bytes(100, 0));
    Verdict last = Verdict::need_more;
    for (std::uint32_t i = 0; i < QuicTracker::kMaxUnconfirmedDatagrams + 1; ++i)
        last = tracker.on_datagram(probe, true, 0, info);
    EXPECT_EQ(last, Verdict::no_match);
}

TEST(QuicTracker, HostileCryptoStaysBounded) {
    QuicTracker tracker;
    snapshot::AppInfo info;
    // A ClientHello header claiming 1 MiB: given up on, not buffered.
    Bytes frames;
    const Bytes huge = {0x01, 0x10, 0x00, 0x00, 0x03, 0x03};
    append_crypto_frame(frames, 0, huge);
    ASSERT_EQ(tracker.on_datagram(client_initial(frames, 0), true, 0, info), Verdict::match);
    EXPECT_FALSE(tracker.client_hello_parsed());
    EXPECT_LT(tracker.heap_bytes(), 64u * 1024);
    // Far offsets are dropped rather than allocated.
    Bytes far;
    append_crypto_frame(far, 1u << 30, Bytes(100, 1));
    EXPECT_EQ(tracker.on_datagram(client_initial(far, 1), true, 1, info), Verdict::match);
    EXPECT_LT(tracker.heap_bytes(), 64u * 1024);
}

TEST(QuicCryptoStream, MergesAndBounds) {
    CryptoStream s;
    const Bytes data(10, 7);
    EXPECT_EQ(s.add(20, data), CryptoStream::AddStatus::ok);
    EXPECT_TRUE(s.contiguous().empty());
    EXPECT_EQ(s.add(0, data), CryptoStream::AddStatus::ok);
    EXPECT_EQ(s.contiguous().size(), 10u);
    EXPECT_EQ(s.range_count(), 2u);
    EXPECT_EQ(s.add(5, Bytes(15, 7)), CryptoStream::AddStatus::ok);  // overlaps, touches 20
    EXPECT_EQ(s.contiguous().size(), 30u);
    EXPECT_EQ(s.range_count(), 1u);
    EXPECT_EQ(s.add(CryptoStream::kMaxBytes - 4, data), CryptoStream::AddStatus::clipped);
    EXPECT_EQ(s.add(CryptoStream::kMaxBytes, data), CryptoStream::AddStatus::clipped);
    EXPECT_EQ(s.add(~std::uint64_t{0}, data), CryptoStream::AddStatus::clipped);
    CryptoStream holes;
    for (std::size_t i = 0; i < CryptoStream::kMaxRanges; ++i)
        EXPECT_EQ(holes.add(100 + i * 20, data), CryptoStream::AddStatus::ok);
    EXPECT_EQ(holes.add(5000, data), CryptoStream::AddStatus::too_fragmented);
    EXPECT_LE(holes.capacity(), CryptoStream::kMaxBytes);
    holes.release();
    EXPECT_EQ(holes.capacity(), 0u);
}

}  // namespace
}  // namespace sockeye::dpi::quic
