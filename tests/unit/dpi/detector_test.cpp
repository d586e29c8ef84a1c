#include <gtest/gtest.h>

#include <array>
#include <string>

#include "dpi/detector.hpp"
#include "dpi/registry.hpp"
#include "dpi/protocols/quic_builder.hpp"
#include "unit/dpi/detector_fixture.hpp"
#include "unit/dpi/tls_fixture.hpp"

namespace sockeye::dpi {
namespace {

using decode::tcp_flag::kAck;
using decode::tcp_flag::kSyn;
using test::as_bytes;
using test::Bytes;

constexpr std::string_view kRequest = "GET /a HTTP/1.1\r\nHost: example.org\r\nUser-Agent: t\r\n\r\n";
constexpr std::string_view kResponse = "HTTP/1.1 404 Not Found\r\nServer: x\r\n\r\n";

// Feeds one TCP segment of a flow with the initiator's stream starting at
// seq 1001 and the responder's at 5001.
std::shared_ptr<const snapshot::AppInfo> tcp(Detector& d, FlowRef ref, std::string_view data,
                                             std::uint32_t offset, std::uint16_t port = 80) {
    const std::uint32_t base = ref.from_initiator ? 1001 : 5001;
    return d.inspect(ref, test::frame(true, ref.from_initiator, port, as_bytes(data), base + offset));
}

void handshake(Detector& d, FlowRef ref, std::uint16_t port = 80) {
    ref.from_initiator = true;
    d.inspect(ref, test::frame(true, true, port, {}, 1000, kSyn));
    ref.from_initiator = false;
    d.inspect(ref, test::frame(true, false, port, {}, 5000, kSyn | kAck));
}

TEST(Detector, RegistryIsWellFormed) {
    const auto probes = probe_registry();
    EXPECT_LE(probes.size(), kMaxProbes);
    for (const auto& p : probes) {
        EXPECT_NE(p.fn, nullptr) << p.name;
        EXPECT_FALSE(p.name.empty());
    }
}

TEST(Detector, HttpAcrossSegmentsThenResponseThenStops) {
    Detector d;
    FlowRef c{3, 77, true};
    FlowRef s{3, 77, false};
    handshake(d, c);
    EXPECT_EQ(tcp(d, c, kRequest.substr(0, 7), 0), nullptr);  // "GET /a " needs more
    auto info = tcp(d, c, kRequest.substr(7), 7);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->protocol, "HTTP");
    EXPECT_EQ(info->domain, "example.org");
    EXPECT_EQ(d.stats().classified_flows, 1u);

    info = tcp(d, s, kResponse, 0);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->find("status")->number, 404);
    EXPECT_EQ(info->find("path")->text, "/a");  // earlier fields kept
    EXPECT_EQ(d.stats().live_states, 0u);       // both directions done: state freed

    const auto inspected = d.stats().inspected_packets;
    for (std::uint32_t i = 0; i < 10; ++i) EXPECT_EQ(tcp(d, c, "more body", 100 + 9 * i), nullptr);
    EXPECT_EQ(d.stats().inspected_packets, inspected);  // classified: no more work
}

TEST(Detector, OutOfOrderSegmentsReassembled) {
    Detector d;
    FlowRef c{0, 1, true};
    handshake(d, c);
    EXPECT_EQ(tcp(d, c, kRequest.substr(20), 20), nullptr);  // held
    const auto info = tcp(d, c, kRequest.substr(0, 20), 0);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->domain, "example.org");
    EXPECT_EQ(info->find("user_agent")->text, "t");
}

TEST(Detector, ServerFirstProtocolAndBothBanners) {
    Detector d;
    FlowRef c{1, 1, true};
    FlowRef s{1, 1, false};
    handshake(d, c, 2222);
    auto info = tcp(d, s, "SSH-2.0-srv_1.0\r\n", 0, 2222);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->protocol, "SSH");
    info = tcp(d, c, "SSH-2.0-cli_2.0 comment\r\n", 0, 2222);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->find("server_software")->text, "srv_1.0");
    EXPECT_EQ(info->find("client_software")->text, "cli_2.0");
}

TEST(Detector, DepthLimitGivesUp) {
    DetectorConfig cfg;
    cfg.max_packets_per_direction = 4;
    Detector d(cfg);
    FlowRef c{2, 9, true};
    handshake(d, c, 4000);
    // "GE" keeps HTTP hoping; the flow never classifies.
    EXPECT_EQ(tcp(d, c, "GE", 0, 4000), nullptr);
    for (std::uint32_t i = 0; i < 10; ++i) tcp(d, c, std::string(1, 'T'), 2 + i, 4000);
    EXPECT_EQ(d.stats().gave_up_flows, 1u);
    EXPECT_EQ(d.stats().classified_flows, 0u);
    EXPECT_EQ(d.stats().live_states, 0u);
    EXPECT_EQ(d.stats().inspected_packets, 2u + 4u);  // SYN, SYN-ACK, then 4 payload packets
}

TEST(Detector, BulkDataPastDetectionWindowGivesUp) {
    DetectorConfig cfg;
    cfg.detection_window_bytes = 1024;
    Detector d(cfg);
    FlowRef c{2, 9, true};
    handshake(d, c, 4000);
    // A request line that never ends keeps the HTTP probe undecided.
    const std::string first = "GET /" + std::string(595, 'a');
    const std::string more(600, 'a');
    tcp(d, c, first, 0, 4000);
    for (std::uint32_t i = 1; i < 3; ++i) tcp(d, c, more, i * 600, 4000);
    EXPECT_EQ(d.stats().gave_up_flows, 1u);  // the window was full after two segments
    EXPECT_EQ(d.stats().live_states, 0u);
}

TEST(Detector, NoCandidateLeftGivesUpAtOnce) {
    // The initiator spoke first and no probe wants its bytes: a client-first
    // protocol would have matched them and a server-first one does not begin
    // with the client talking, so the flow is given up without waiting for
    // the responder (on bulk traffic that wait cost a run of every probe).
    Detector d;
    FlowRef c{2, 9, true};
    tcp(d, c, std::string(64, '\x01'), 0, 4000);
    EXPECT_EQ(d.stats().gave_up_flows, 1u);
    EXPECT_EQ(d.stats().live_states, 0u);
}

TEST(Detector, ResponderFirstUnknownWaitsForTheInitiator) {
    Detector d;
    FlowRef c{3, 9, true};
    FlowRef s{3, 9, false};
    tcp(d, s, std::string(64, '\x02'), 0, 4000);
    EXPECT_EQ(d.stats().gave_up_flows, 0u);  // the client's bytes may still tell
    tcp(d, c, std::string(64, '\x01'), 0, 4000);
    EXPECT_EQ(d.stats().gave_up_flows, 1u);
    EXPECT_EQ(d.stats().live_states, 0u);
}

TEST(Detector, SlotReuseWithNewSerialStartsFresh) {
    Detector d;
    FlowRef first{5, 100, true};
    handshake(d, first);
    ASSERT_NE(tcp(d, first, kRequest, 0), nullptr);
    FlowRef second{5, 101, true};
    handshake(d, second, 22);
    const auto info = tcp(d, second, "SSH-2.0-x\r\n", 0, 22);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->protocol, "SSH");
    EXPECT_EQ(info->find("method"), nullptr);
    EXPECT_EQ(d.stats().classified_flows, 2u);
}

TEST(Detector, SlotsBeyondMaxFlowsIgnored) {
    DetectorConfig cfg;
    cfg.max_flows = 4;
    Detector d(cfg);
    EXPECT_EQ(tcp(d, FlowRef{4, 1, true}, kRequest, 0), nullptr);
    EXPECT_EQ(d.stats().inspected_packets, 0u);
}

TEST(Detector, MemoryBounded) {
    DetectorConfig cfg;
    cfg.max_flows = 1000;
    cfg.max_buffer_bytes = 64 * 1024;
    Detector d(cfg);
    // Many flows each holding an undecided prefix ("GET /" with no end of line).
    const std::string partial = "GET /" + std::string(1000, 'a');
    for (std::uint32_t slot = 0; slot < 1000; ++slot) {
        FlowRef c{slot, slot + 1, true};
        tcp(d, c, partial, 0, 4000);
        EXPECT_LE(d.stats().buffered_bytes, cfg.max_buffer_bytes);
    }
    EXPECT_LE(d.stats().live_states, 1000u);
    // Reusing every slot frees the old state.
    for (std::uint32_t slot = 0; slot < 1000; ++slot) {
        FlowRef c{slot, 5000 + slot, true};
        tcp(d, c, kRequest, 0);
    }
    EXPECT_EQ(d.stats().buffered_bytes, 0u);
}

Bytes dns_message(bool response) {
    Bytes b = Bytes{}.u16(0x4242).u16(response ? 0x8180 : 0x0100).u16(1).u16(response ? 2 : 0)
                  .u16(0).u16(0);
    b.u8(3).str("www").u8(7).str("example").u8(3).str("net").u8(0).u16(1).u16(1);
    if (response) {
        b.u16(0xc00c).u16(1).u16(1).u32(60).u16(4).u8(192).u8(0).u8(2).u8(7);
        b.u16(0xc00c).u16(28).u16(1).u32(60).u16(16).u16(0x2001).u16(0xdb8).u32(0).u32(0).u32(7);
    }
    return b;
}

TEST(Detector, DnsQueryResponseFillsNameTable) {
    Detector d;
    const Bytes q = dns_message(false);
    const Bytes r = dns_message(true);
    auto info = d.inspect(FlowRef{7, 1, true}, test::frame(false, true, 53, q.span(), 0, 0, 1'000'000'000));
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->protocol, "DNS");
    info = d.inspect(FlowRef{7, 1, false}, test::frame(false, false, 53, r.span(), 0, 0, 1'030'000'000));
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->find("response_time_us")->number, 30'000);
    EXPECT_EQ(d.names_for(core::IpAddress::parse("192.0.2.7")),
              (std::vector<std::string>{"www.example.net"}));
    EXPECT_EQ(d.names_for(core::IpAddress::parse("2001:db8::7")),
              (std::vector<std::string>{"www.example.net"}));
    EXPECT_TRUE(d.names_for(core::IpAddress::parse("192.0.2.8")).empty());
    EXPECT_EQ(d.stats().live_states, 0u);
}

TEST(Detector, NameTableBounded) {
    DetectorConfig cfg;
    cfg.max_dns_names = 2;
    Detector d(cfg);
    for (std::uint32_t i = 0; i < 3; ++i) {
        Bytes r = dns_message(true);
        r.v[r.v.size() - 1] = static_cast<std::uint8_t>(i + 1);  // distinct AAAA per flow
        d.inspect(FlowRef{i, i + 1, true}, test::frame(false, true, 53, r.span()));
    }
    EXPECT_TRUE(d.names_for(core::IpAddress::parse("2001:db8::1")).empty());  // evicted
    EXPECT_FALSE(d.names_for(core::IpAddress::parse("2001:db8::3")).empty());
}

TEST(Detector, TlsClientHelloAcrossSegmentsOnUnusualPort) {
    Detector d;
    FlowRef c{9, 3, true};
    handshake(d, c, 9443);
    const Bytes stream = test::record(22, test::client_hello_message());
    const auto bytes = stream.span();
    std::shared_ptr<const snapshot::AppInfo> info;
    for (std::size_t at = 0; at < bytes.size(); at += 100) {
        const auto piece = bytes.subspan(at, std::min<std::size_t>(100, bytes.size() - at));
        if (auto update = d.inspect(c, test::frame(true, true, 9443, piece,
                                                   1001 + static_cast<std::uint32_t>(at))))
            info = update;
        ASSERT_NE(info, nullptr);  // classified from the first segment's headers
        EXPECT_EQ(info->protocol, "TLS");
    }
    EXPECT_EQ(info->protocol, "TLS");
    EXPECT_EQ(info->domain, "example.com");
    EXPECT_EQ(info->find("ja4")->text, "t13d0611h2_bcfe0a960bb4_0c936b6b1637");
}

TEST(Detector, QuicHookOnUnusualPort) {
    const std::array<std::uint8_t, 8> dcid = {1, 2, 3, 4, 5, 6, 7, 8};
    const std::array<std::uint8_t, 4> scid = {9, 9, 9, 9};
    std::vector<std::uint8_t> frames;
    const Bytes hello = test::client_hello_message();
    quic::append_crypto_frame(frames, 0, hello.span());
    quic::InitialSpec spec;
    spec.dcid = dcid;
    spec.scid = scid;
    spec.frames = frames;
    spec.pad_to = 1200;
    const auto packet = quic::build_initial(spec);
    ASSERT_FALSE(packet.empty());

    Detector d;
    const auto info = d.inspect(FlowRef{0, 1, true}, test::frame(false, true, 7777, packet));
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->protocol, "QUIC");
    EXPECT_EQ(info->domain, "example.com");
    EXPECT_EQ(d.stats().classified_flows, 1u);
}

TEST(Detector, NonTransportFramesIgnored) {
    Detector d;
    decode::DecodedFrame f;
    f.transport = decode::Transport::icmp;
    EXPECT_EQ(d.inspect(FlowRef{0, 1, true}, f), nullptr);
    EXPECT_EQ(d.stats().inspected_packets, 0u);
}

}  // namespace
}  // namespace sockeye::dpi
