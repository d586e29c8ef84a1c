// The Decoder loop itself: link type support and names, anomaly names,
// per-frame reset.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "decode_fixture.hpp"

namespace sockeye::decode::test {
namespace {

TEST(Decoder, SupportedLinkTypes) {
    for (const int dlt : {kNull, kEthernet, kRaw, kLinktypeRaw, kLoop, kSll, kIpv4Only,
                          kIpv6Only, kSll2}) {
        SCOPED_TRACE(dlt);
        EXPECT_TRUE(Decoder::is_supported_link_type(dlt));
        EXPECT_TRUE(Decoder(dlt).supports_link_type());
        EXPECT_EQ(Decoder(dlt).link_type(), dlt);
    }
    for (const int dlt : {-1, 9, 105, 127, 65536, 1 << 20}) {
        EXPECT_FALSE(Decoder::is_supported_link_type(dlt));
    }
}

TEST(Decoder, LinkTypeNames) {
    EXPECT_EQ(Decoder::link_type_name(kEthernet), "EN10MB");
    EXPECT_EQ(Decoder::link_type_name(kSll), "LINUX_SLL");
    EXPECT_EQ(Decoder::link_type_name(kSll2), "LINUX_SLL2");
    EXPECT_EQ(Decoder::link_type_name(kNull), "NULL");
    EXPECT_EQ(Decoder::link_type_name(kLoop), "LOOP");
    EXPECT_EQ(Decoder::link_type_name(kRaw), "RAW");
    EXPECT_EQ(Decoder::link_type_name(kIpv6Only), "IPV6");
    EXPECT_EQ(Decoder::link_type_name(147), "DLT 147");
    EXPECT_EQ(Decoder::link_type_name(-3), "DLT -3");
}

TEST(Decoder, UnsupportedLinkType) {
    const std::vector<std::uint8_t> bytes(64, 0xab);
    const auto f = decode_bytes(147, bytes);
    EXPECT_TRUE(f.has(Anomaly::unsupported_link_type));
    EXPECT_EQ(f.cap_len, 64u);
    EXPECT_EQ(f.network, Network::none);
}

TEST(Decoder, AnomalyNamesAreUniqueSnakeCase) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < kAnomalyKinds; ++i) {
        const std::string name(anomaly_name(static_cast<Anomaly>(i)));
        EXPECT_NE(name, "unknown");
        EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"),
                  std::string::npos);
        names.insert(name);
    }
    EXPECT_EQ(names.size(), kAnomalyKinds);
    EXPECT_EQ(anomaly_name(Anomaly::truncated_tcp), "truncated_tcp");
}

TEST(Decoder, ResetsEveryFieldBetweenFrames) {
    const Decoder decoder(kEthernet);
    const auto tcp = hex(std::string(kEthMacs) + "8100 0064 0800" + ipv4_header(44, 6) +
                         "d431 0050 00000001 00000002 6012 2000 0000 0000 020405b4");
    const auto arp = hex(std::string(kEthMacs) +
                         "0806 0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002");
    core::RawFrame frame;
    DecodedFrame out;
    frame.bytes = tcp;
    frame.wire_len = 9000;  // leaves snaplen_truncated set
    decoder.decode(frame, out);
    ASSERT_EQ(out.tcp.mss, 1460);
    ASSERT_EQ(out.vlan_depth, 1);

    frame.bytes = arp;
    frame.wire_len = static_cast<std::uint32_t>(arp.size());
    frame.ts_ns = 42;
    decoder.decode(frame, out);
    EXPECT_EQ(out.ts_ns, 42);
    EXPECT_EQ(out.network, Network::arp);
    EXPECT_EQ(out.transport, Transport::none);
    EXPECT_EQ(out.vlan_depth, 0);
    EXPECT_EQ(out.tcp.mss, 0);
    EXPECT_EQ(out.tcp.window_scale, 0xFF);
    EXPECT_EQ(out.src_port, 0);
    EXPECT_EQ(out.src_ip.family, core::IpFamily::none);
    EXPECT_TRUE(out.payload.empty());
    EXPECT_EQ(out.anomalies, 0u);
}

}  // namespace
}  // namespace sockeye::decode::test
