// Network layers: IPv4 (options, fragments, length checks), IPv6 and its
// extension headers, ARP, unknown IP protocols.
#include <gtest/gtest.h>

#include <string>

#include "decode_fixture.hpp"

namespace sockeye::decode::test {
namespace {

constexpr std::string_view kTcpHello =
    "d431 0050 00000001 00000002 5018 2000 0000 0000"  // 54321 -> 80, PSH|ACK
    "68656c6c6f";                                      // "hello"

OwnedFrame raw(std::string_view text) { return decode_hex(kRaw, text); }

TEST(Ipv4, Basics) {
    const auto f = raw(ipv4_header(45, 6) + std::string(kTcpHello));
    EXPECT_EQ(f.network, Network::ipv4);
    EXPECT_EQ(f.ttl, 64);
    EXPECT_EQ(f.ip_proto, 6);
    EXPECT_FALSE(f.is_fragment);
    EXPECT_EQ(f.fragment_id, 0x1234u);
    EXPECT_EQ(f.transport, Transport::tcp);
    EXPECT_EQ(payload_text(f), "hello");
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Ipv4, OptionsRouterAlertWithIgmp) {
    const auto f = raw(
        "46 00 0020"  // version 4, IHL 6 (24 bytes), total length 32
        "0000 0000"   // id, flags/offset
        "01 02 0000"  // TTL 1, protocol IGMP, checksum
        "0a000001 ef010203"
        "94040000"    // option: router alert (type 148, length 4, value 0)
        "16 00 0000 ef010203");  // IGMPv2 membership report for 239.1.2.3
    EXPECT_EQ(f.network, Network::ipv4);
    EXPECT_EQ(f.transport, Transport::igmp);
    EXPECT_EQ(f.igmp.type, 0x16);
    EXPECT_EQ(f.igmp.group, ip("239.1.2.3"));
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Ipv4, OptionsNopEolAndBadLength) {
    const auto good = raw("4700 0035 0000 0000 4006 0000 0a000001 0a000002"
                          "01 01 44 04 0000 00"  // NOP NOP, type 0x44 len 4, EOL
                          "00" +                 // pad to 8 option bytes
                          std::string(kTcpHello));
    EXPECT_EQ(good.anomalies, 0u);
    EXPECT_EQ(payload_text(good), "hello");

    const auto bad = raw("4600 0031 0000 0000 4006 0000 0a000001 0a000002"
                         "07 01 0000" +  // record route with length 1: malformed
                         std::string(kTcpHello));
    EXPECT_TRUE(bad.has(Anomaly::bad_ipv4_options));
    // The IHL still says where TCP starts.
    EXPECT_EQ(bad.transport, Transport::tcp);
    EXPECT_EQ(bad.dst_port, 80);
    const auto overrun = raw("4600 0031 0000 0000 4006 0000 0a000001 0a000002"
                             "01 44 08 00" +  // NOP, then an option running past the header
                             std::string(kTcpHello));
    EXPECT_TRUE(overrun.has(Anomaly::bad_ipv4_options));
}

TEST(Ipv4, FirstFragmentDecodesTransport) {
    const auto f = raw(
        "4500 0024 abcd"
        "2000"  // MF set, offset 0
        "4011 0000 0a000001 0a000002"
        "1388 1389 0064 0000"  // UDP 5000 -> 5001, length 100 (the whole datagram)
        "0102030405060708");   // first 8 payload bytes
    EXPECT_TRUE(f.is_fragment);
    EXPECT_TRUE(f.is_first_fragment);
    EXPECT_EQ(f.fragment_offset, 0);
    EXPECT_EQ(f.fragment_id, 0xabcdu);
    EXPECT_EQ(f.transport, Transport::udp);
    EXPECT_EQ(f.src_port, 5000);
    EXPECT_EQ(f.payload.size(), 8u);
    EXPECT_EQ(f.payload_len, 92u);
    // A UDP length beyond the first fragment is expected, not an anomaly.
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Ipv4, LaterFragmentStopsAtL3) {
    const auto f = raw(
        "4500 0024 abcd"
        "00b9"  // MF clear, offset 185 * 8 = 1480
        "4011 0000 0a000001 0a000002"
        "1388 1389 0064 0000 0102030405060708");  // looks like UDP but is not
    EXPECT_EQ(f.network, Network::ipv4);
    EXPECT_TRUE(f.is_fragment);
    EXPECT_FALSE(f.is_first_fragment);
    EXPECT_EQ(f.fragment_offset, 1480);
    EXPECT_EQ(f.ip_proto, 17);
    EXPECT_EQ(f.transport, Transport::none);
    EXPECT_EQ(f.src_port, 0);
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Ipv4, BadVersion) {
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) + "0800" +
                                             "6500 002d 0000 0000 4006 0000 0a000001 0a000002" +
                                             std::string(kTcpHello));
    EXPECT_TRUE(f.has(Anomaly::bad_ipv4_version));
    EXPECT_EQ(f.network, Network::none);
    EXPECT_EQ(f.transport, Transport::none);
}

TEST(Ipv4, BadHeaderLength) {
    const auto f = raw("4400 002d 0000 0000 4006 0000 0a000001 0a000002" +
                       std::string(kTcpHello));
    EXPECT_TRUE(f.has(Anomaly::bad_ipv4_header_length));
    EXPECT_EQ(f.network, Network::none);
}

TEST(Ipv4, BadTotalLength) {
    const auto f = raw("4500 000a 0000 0000 4006 0000 0a000001 0a000002" +
                       std::string(kTcpHello));
    EXPECT_TRUE(f.has(Anomaly::bad_ipv4_total_length));
    EXPECT_EQ(f.transport, Transport::none);
    // The addresses were read, and network == ipv4 is what says so (found
    // by the fuzz target's consistency check: addresses set, network none).
    EXPECT_EQ(f.network, Network::ipv4);
    EXPECT_EQ(f.src_ip, ip("10.0.0.1"));
}

TEST(Ipv4, HeaderCutBySnaplen) {
    const auto f = decode_bytes(kRaw, hex("4600 002d 0000 0000 4006 0000 0a000001 0a000002"),
                                45);
    EXPECT_TRUE(f.has(Anomaly::snaplen_truncated));
    EXPECT_TRUE(f.has(Anomaly::truncated_ipv4));
    EXPECT_EQ(f.network, Network::none);
}

TEST(Ipv4, TotalLengthBeyondCaptureIsSnaplen) {
    // The IP header claims 1045 bytes; 45 were captured.
    const auto f = decode_bytes(
        kRaw, hex("4500 0415 0000 0000 4006 0000 0a000001 0a000002" + std::string(kTcpHello)),
        1045);
    EXPECT_TRUE(f.has(Anomaly::snaplen_truncated));
    EXPECT_EQ(problems(f), 0u);
    EXPECT_EQ(payload_text(f), "hello");
    EXPECT_EQ(f.payload_len, 1005u);
}

TEST(Ipv4, ZeroTotalLengthFromTsoUsesCapture) {
    const auto f = raw("4500 0000 0000 0000 4006 0000 0a000001 0a000002" +
                       std::string(kTcpHello));
    EXPECT_EQ(f.anomalies, 0u);
    EXPECT_EQ(payload_text(f), "hello");
    EXPECT_EQ(f.payload_len, 5u);
}

TEST(Ipv4, UnknownProtocolIsOtherWithPayload) {
    const auto f = raw(ipv4_header(24, 47) + "0000 0800");  // GRE carrying IPv4
    EXPECT_EQ(f.transport, Transport::other);
    EXPECT_EQ(f.ip_proto, 47);
    EXPECT_EQ(f.src_port, 0);
    EXPECT_EQ(f.payload.size(), 4u);
    EXPECT_EQ(f.payload_len, 4u);
}

TEST(Ipv4, ProtocolZeroIsNotAnIpv6Extension) {
    const auto f = raw(ipv4_header(28, 0) + "3b00 0104 00000000");
    EXPECT_EQ(f.transport, Transport::other);
    EXPECT_EQ(f.ip_proto, 0);
}

TEST(Ipv4, AuthenticationHeaderThenTcp) {
    const auto f = raw(ipv4_header(64, 51) +
                       "06 04 0000"  // AH: next TCP, length (4 + 2) * 4 = 24 bytes
                       "00000100 00000001"          // SPI, sequence
                       "000000000000000000000000"   // 96-bit ICV
                       "d431 0050 00000001 00000002 5010 2000 0000 0000");
    EXPECT_EQ(f.transport, Transport::tcp);
    EXPECT_EQ(f.ip_proto, 6);
    EXPECT_EQ(f.dst_port, 80);
    EXPECT_EQ(f.payload_len, 0u);
    EXPECT_EQ(f.anomalies, 0u);
}

// IPv6 fe80::1 -> fe80::2 with the given payload length and next header.
std::string ipv6_header(const char* payload_len, const char* next_header) {
    return std::string("60000000") + payload_len + next_header +
           "40"  // hop limit
           "fe800000000000000000000000000001 fe800000000000000000000000000002";
}

TEST(Ipv6, HopByHopAndFirstFragment) {
    const auto f = raw(ipv6_header("001a", "00") +
                       "2c 00 0502 0000 0100"  // hop-by-hop: next fragment, router alert, PadN
                       "11 00 0001 00000042"   // fragment: next UDP, offset 0, M, id 0x42
                       "14e9 14e9 0064 0000"   // UDP, length 100 (whole datagram)
                       "6869");
    EXPECT_EQ(f.network, Network::ipv6);
    EXPECT_TRUE(f.is_fragment);
    EXPECT_TRUE(f.is_first_fragment);
    EXPECT_EQ(f.fragment_id, 0x42u);
    EXPECT_EQ(f.ip_proto, 17);
    EXPECT_EQ(f.transport, Transport::udp);
    EXPECT_EQ(f.src_port, 5353);
    EXPECT_EQ(payload_text(f), "hi");
    EXPECT_EQ(f.payload_len, 92u);
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Ipv6, LaterFragmentStopsAtL3) {
    const auto f = raw(ipv6_header("0012", "2c") +
                       "11 00 0008 00000042"  // fragment: next UDP, offset 8, last
                       "0102030405060708 0910");
    EXPECT_TRUE(f.is_fragment);
    EXPECT_FALSE(f.is_first_fragment);
    EXPECT_EQ(f.fragment_offset, 8);
    EXPECT_EQ(f.ip_proto, 17);
    EXPECT_EQ(f.transport, Transport::none);
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Ipv6, AtomicFragmentIsNotAFragment) {
    const auto f = raw(ipv6_header("0012", "2c") + "11 00 0000 00000007" +
                       "14e9 14e9 000a 0000 6869");
    EXPECT_FALSE(f.is_fragment);
    EXPECT_EQ(f.transport, Transport::udp);
    EXPECT_EQ(payload_text(f), "hi");
}

TEST(Ipv6, RoutingAndDestinationOptionsThenTcp) {
    const auto f = raw(ipv6_header("0039", "2b") +
                       "3c 02 00 01 00000000"  // routing: next dest opts, 24 bytes, type 0
                       "00000000000000000000000000000000"
                       "06 00 0104 00000000"   // dest opts: next TCP, PadN
                       + std::string(kTcpHello));
    EXPECT_EQ(f.transport, Transport::tcp);
    EXPECT_EQ(f.ip_proto, 6);
    EXPECT_EQ(payload_text(f), "hello");
    EXPECT_EQ(f.payload_len, 5u);
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Ipv6, NoNextHeader) {
    const auto f = raw(ipv6_header("0008", "3c") + "3b 00 0104 00000000");
    EXPECT_EQ(f.network, Network::ipv6);
    EXPECT_EQ(f.ip_proto, 59);
    EXPECT_EQ(f.transport, Transport::none);
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Ipv6, TooManyExtensions) {
    std::string chain;
    for (int i = 0; i < 12; ++i) chain += "3c 00 0104 00000000";  // dest opts -> dest opts
    const auto f = raw(ipv6_header("0060", "3c") + chain);
    EXPECT_TRUE(f.has(Anomaly::too_many_ipv6_extensions));
    EXPECT_EQ(f.transport, Transport::none);
}

TEST(Ipv6, TruncatedExtension) {
    // Hop-by-hop claims 16 bytes, the payload length leaves 8.
    const auto f = raw(ipv6_header("0008", "00") + "11 01 0104 00000000 0000000000000000");
    EXPECT_TRUE(f.has(Anomaly::truncated_ipv6_extension));
    EXPECT_EQ(f.transport, Transport::none);
}

TEST(Ipv6, BadVersionAndTruncated) {
    const auto bad = decode_hex(kEthernet, std::string(kEthMacs) + "86dd" +
                                               "4000000000001140" + std::string(64, '0'));
    EXPECT_TRUE(bad.has(Anomaly::bad_ipv6_version));
    EXPECT_EQ(bad.network, Network::none);
    const auto cut = raw("6000000000001140 fe80000000000000");
    EXPECT_TRUE(cut.has(Anomaly::truncated_ipv6));
    EXPECT_EQ(cut.network, Network::none);
}

TEST(Ipv6, ZeroPayloadLengthUsesCapture) {
    const auto f = raw(ipv6_header("0000", "06") + std::string(kTcpHello));
    EXPECT_EQ(payload_text(f), "hello");
    EXPECT_EQ(f.payload_len, 5u);
}

TEST(Arp, RequestAndReply) {
    const auto request = decode_hex(kEthernet,
                                    "ffffffffffff 020000000001 0806"
                                    "0001 0800 06 04"  // Ethernet / IPv4, lengths 6 / 4
                                    "0001"             // request
                                    "020000000001 0a000001"   // sender
                                    "000000000000 0a000002"   // target
                                    "000000000000000000000000000000000000");  // padding
    EXPECT_EQ(request.network, Network::arp);
    EXPECT_EQ(request.ethertype, 0x0806);
    EXPECT_EQ(request.arp.op, 1);
    EXPECT_EQ(request.arp.sender_mac, (std::array<std::uint8_t, 6>{2, 0, 0, 0, 0, 1}));
    EXPECT_EQ(request.arp.sender_ip, ip("10.0.0.1"));
    EXPECT_EQ(request.arp.target_ip, ip("10.0.0.2"));
    EXPECT_EQ(request.transport, Transport::none);
    EXPECT_EQ(request.anomalies, 0u);

    const auto reply = decode_hex(kEthernet, std::string(kEthMacs) +
                                                 "0806 0001 0800 06 04 0002"
                                                 "020000000002 0a000002"
                                                 "020000000001 0a000001");
    EXPECT_EQ(reply.arp.op, 2);
    EXPECT_EQ(reply.arp.sender_mac, (std::array<std::uint8_t, 6>{2, 0, 0, 0, 0, 2}));
    EXPECT_EQ(reply.arp.target_mac, (std::array<std::uint8_t, 6>{2, 0, 0, 0, 0, 1}));
    EXPECT_EQ(reply.arp.sender_ip, ip("10.0.0.2"));
}

TEST(Arp, Truncated) {
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) +
                                             "0806 0001 0800 06 04 0001 020000000001 0a00");
    EXPECT_TRUE(f.has(Anomaly::truncated_arp));
    EXPECT_EQ(f.arp.op, 1);
}

TEST(Arp, OtherHardwareKeepsOperation) {
    const auto f = decode_hex(kSll, "0000 0018 0000 0000000000000000 0806"
                                    "0018 0800 08 04 0001");  // IEEE 1394 hardware
    EXPECT_EQ(f.network, Network::arp);
    EXPECT_EQ(f.arp.op, 1);
    EXPECT_EQ(f.arp.sender_ip.family, core::IpFamily::none);
}

}  // namespace
}  // namespace sockeye::decode::test
