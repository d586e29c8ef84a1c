// Link layers: Ethernet, VLAN / QinQ, Linux cooked v1/v2, BSD NULL / LOOP,
// raw IP, PPPoE.
#include <gtest/gtest.h>

#include <string>

#include "decode_fixture.hpp"

namespace sockeye::decode::test {
namespace {

// TCP 54321 -> 80, seq 1, ack 2, header 20 bytes, PSH|ACK, window 8192,
// then "hello": 25 bytes.
constexpr std::string_view kTcpHello =
    "d431 0050"  // ports
    "00000001"   // seq
    "00000002"   // ack
    "50 18"      // data offset 5, flags PSH|ACK
    "2000"       // window
    "0000 0000"  // checksum, urgent pointer
    "68656c6c6f";  // "hello"

std::string ipv4_tcp_hello() { return ipv4_header(45, 6) + std::string(kTcpHello); }

// IPv6 fe80::1 -> fe80::2, hop limit 64, then UDP 5353 -> 5353 with "hi".
constexpr std::string_view kIpv6Udp =
    "60000000"  // version 6, traffic class 0, flow label 0
    "000a"      // payload length 10
    "11 40"     // next header UDP, hop limit 64
    "fe800000000000000000000000000001"
    "fe800000000000000000000000000002"
    "14e9 14e9 000a 0000"  // UDP ports 5353, length 10, checksum
    "6869";                // "hi"

void expect_ipv4_tcp_hello(const DecodedFrame& f) {
    EXPECT_EQ(f.network, Network::ipv4);
    EXPECT_EQ(f.src_ip, ip("10.0.0.1"));
    EXPECT_EQ(f.dst_ip, ip("10.0.0.2"));
    EXPECT_EQ(f.transport, Transport::tcp);
    EXPECT_EQ(f.src_port, 54321);
    EXPECT_EQ(f.dst_port, 80);
    EXPECT_EQ(payload_text(f), "hello");
    EXPECT_EQ(f.payload_len, 5u);
    EXPECT_EQ(problems(f), 0u);
}

void expect_ipv6_udp(const DecodedFrame& f) {
    EXPECT_EQ(f.network, Network::ipv6);
    EXPECT_EQ(f.src_ip, ip("fe80::1"));
    EXPECT_EQ(f.dst_ip, ip("fe80::2"));
    EXPECT_EQ(f.ttl, 64);
    EXPECT_EQ(f.transport, Transport::udp);
    EXPECT_EQ(f.src_port, 5353);
    EXPECT_EQ(f.dst_port, 5353);
    EXPECT_EQ(payload_text(f), "hi");
    EXPECT_EQ(problems(f), 0u);
}

TEST(Ethernet, Ipv4Tcp) {
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) + "0800" + ipv4_tcp_hello());
    EXPECT_TRUE(f.has_mac);
    EXPECT_EQ(f.dst_mac, (std::array<std::uint8_t, 6>{2, 0, 0, 0, 0, 2}));
    EXPECT_EQ(f.src_mac, (std::array<std::uint8_t, 6>{2, 0, 0, 0, 0, 1}));
    EXPECT_EQ(f.ethertype, 0x0800);
    EXPECT_EQ(f.vlan_depth, 0);
    EXPECT_EQ(f.cap_len, 14u + 45u);
    EXPECT_EQ(f.wire_len, 14u + 45u);
    EXPECT_EQ(f.ts_ns, 1'700'000'000'000'000'000);
    expect_ipv4_tcp_hello(f);
}

TEST(Ethernet, PaddingIsNotPayload) {
    // 14 + 40 byte IPv4/TCP packet padded to the 60-byte Ethernet minimum.
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) + "0800" + ipv4_header(40, 6) +
                                             "d431 0050 00000001 00000002 5010 2000 0000 0000"
                                             "000000000000");  // 6 bytes of padding
    EXPECT_EQ(f.cap_len, 60u);
    EXPECT_EQ(f.transport, Transport::tcp);
    EXPECT_TRUE(f.payload.empty());
    EXPECT_EQ(f.payload_len, 0u);
    EXPECT_EQ(problems(f), 0u);
}

TEST(Ethernet, NonIpEthertypeIsOther) {
    // LLDP (0x88cc): not decoded.
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) + "88cc 0207 0400000000000000");
    EXPECT_EQ(f.network, Network::other);
    EXPECT_EQ(f.ethertype, 0x88cc);
    EXPECT_EQ(f.transport, Transport::none);
    EXPECT_EQ(problems(f), 0u);
}

TEST(Ethernet, Ieee8023LengthIsOther) {
    // Type field 0x0026 is an 802.3 length: LLC (STP here) follows.
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) + "0026 424203 000000");
    EXPECT_EQ(f.network, Network::other);
    EXPECT_EQ(f.ethertype, 0);
    EXPECT_TRUE(f.has_mac);
}

TEST(Ethernet, Truncated) {
    const auto f = decode_hex(kEthernet, "020000000002 0200000000");
    EXPECT_TRUE(f.has(Anomaly::truncated_link));
    EXPECT_FALSE(f.has_mac);
    EXPECT_EQ(f.network, Network::none);
}

TEST(Vlan, SingleTag) {
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) +
                                             "8100 2064"  // PCP 1, VID 100
                                             "0800" + ipv4_tcp_hello());
    EXPECT_EQ(f.vlan_depth, 1);
    EXPECT_EQ(f.vlan_outer, 100);
    EXPECT_EQ(f.vlan_inner, 0);
    EXPECT_EQ(f.ethertype, 0x0800);
    expect_ipv4_tcp_hello(f);
}

TEST(Vlan, QinQ) {
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) +
                                             "88a8 000a"  // S-tag VID 10
                                             "8100 0014"  // C-tag VID 20
                                             "86dd" + std::string(kIpv6Udp));
    EXPECT_EQ(f.vlan_depth, 2);
    EXPECT_EQ(f.vlan_outer, 10);
    EXPECT_EQ(f.vlan_inner, 20);
    EXPECT_EQ(f.ethertype, 0x86dd);
    expect_ipv6_udp(f);
}

TEST(Vlan, LegacyQinQ) {
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) +
                                             "9100 0fff"  // VID 4095
                                             "8100 0001"  // VID 1
                                             "0800" + ipv4_tcp_hello());
    EXPECT_EQ(f.vlan_depth, 2);
    EXPECT_EQ(f.vlan_outer, 4095);
    EXPECT_EQ(f.vlan_inner, 1);
    expect_ipv4_tcp_hello(f);
}

TEST(Vlan, TooManyTags) {
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) +
                                             "8100 0001 8100 0002 8100 0003 8100 0004"
                                             "8100 0005 0800" + ipv4_tcp_hello());
    EXPECT_TRUE(f.has(Anomaly::too_many_vlan_tags));
    EXPECT_EQ(f.vlan_depth, 4);
    EXPECT_EQ(f.network, Network::none);
}

TEST(Vlan, Truncated) {
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) + "8100 00");
    EXPECT_TRUE(f.has(Anomaly::truncated_vlan));
    EXPECT_EQ(f.vlan_depth, 0);
}

TEST(LinuxSll, Ipv4Tcp) {
    const auto f = decode_hex(kSll,
                              "0004"  // packet type: outgoing
                              "0001"  // ARPHRD_ETHER
                              "0006"  // address length
                              "0200000000010000"  // sender MAC + 2 bytes padding
                              "0800" + ipv4_tcp_hello());
    EXPECT_FALSE(f.has_mac);
    EXPECT_EQ(f.src_mac, (std::array<std::uint8_t, 6>{2, 0, 0, 0, 0, 1}));
    EXPECT_EQ(f.ethertype, 0x0800);
    expect_ipv4_tcp_hello(f);
}

TEST(LinuxSll, LoopbackDeviceAndVlan) {
    const auto f = decode_hex(kSll,
                              "0000"  // to us
                              "0304"  // ARPHRD_LOOPBACK (772)
                              "0000"  // no address
                              "0000000000000000"
                              "8100 0007 86dd" +  // libpcap re-inserts the VLAN tag
                                  std::string(kIpv6Udp));
    EXPECT_EQ(f.vlan_outer, 7);
    expect_ipv6_udp(f);
}

TEST(LinuxSll, PseudoProtocolIsOther) {
    const auto f = decode_hex(kSll, "0000 0001 0006 0200000000010000 0004 424203");
    EXPECT_EQ(f.network, Network::other);
}

TEST(LinuxSll, Truncated) {
    EXPECT_TRUE(decode_hex(kSll, "0000 0001 0006 02000000").has(Anomaly::truncated_link));
}

TEST(LinuxSll2, Ipv6Udp) {
    const auto f = decode_hex(kSll2,
                              "86dd"      // protocol
                              "0000"      // reserved
                              "00000002"  // interface index
                              "0001"      // ARPHRD_ETHER
                              "00"        // packet type: host
                              "06"        // address length
                              "0200000000010000" + std::string(kIpv6Udp));
    EXPECT_EQ(f.ethertype, 0x86dd);
    EXPECT_EQ(f.src_mac, (std::array<std::uint8_t, 6>{2, 0, 0, 0, 0, 1}));
    expect_ipv6_udp(f);
}

TEST(LinuxSll2, Truncated) {
    const auto f = decode_hex(kSll2, "86dd 0000 00000002 0001 00 06 020000000001");
    EXPECT_TRUE(f.has(Anomaly::truncated_link));
    EXPECT_EQ(f.network, Network::none);
}

TEST(Null, LittleEndianHost) {
    expect_ipv4_tcp_hello(decode_hex(kNull, "02000000" + ipv4_tcp_hello()));
}

TEST(Null, BigEndianHost) {
    expect_ipv4_tcp_hello(decode_hex(kNull, "00000002" + ipv4_tcp_hello()));
}

TEST(Null, Ipv6FamilyValuesOfEveryOs) {
    for (const char* family : {"0a000000", "18000000", "1c000000", "1e000000", "0000001e"}) {
        SCOPED_TRACE(family);
        expect_ipv6_udp(decode_hex(kNull, std::string(family) + std::string(kIpv6Udp)));
    }
}

TEST(Null, UnknownFamilyIsOther) {
    const auto f = decode_hex(kNull, "07000000 00000000");
    EXPECT_EQ(f.network, Network::other);
}

TEST(Loop, NetworkOrder) {
    expect_ipv4_tcp_hello(decode_hex(kLoop, "00000002" + ipv4_tcp_hello()));
    expect_ipv6_udp(decode_hex(kLoop, "00000018" + std::string(kIpv6Udp)));
    // Host order on a little-endian machine is not accepted as LOOP.
    EXPECT_EQ(decode_hex(kLoop, "02000000" + ipv4_tcp_hello()).network, Network::other);
}

TEST(Loop, Truncated) { EXPECT_TRUE(decode_hex(kLoop, "000000").has(Anomaly::truncated_link)); }

TEST(RawIp, PicksFamilyByVersion) {
    for (const int dlt : {kRaw, kLinktypeRaw}) {
        SCOPED_TRACE(dlt);
        expect_ipv4_tcp_hello(decode_hex(dlt, ipv4_tcp_hello()));
        expect_ipv6_udp(decode_hex(dlt, kIpv6Udp));
        EXPECT_FALSE(decode_hex(dlt, ipv4_tcp_hello()).has_mac);
    }
    EXPECT_TRUE(decode_bytes(kRaw, {}).has(Anomaly::truncated_link));
}

TEST(RawIp, FixedFamilyLinkTypes) {
    expect_ipv4_tcp_hello(decode_hex(kIpv4Only, ipv4_tcp_hello()));
    expect_ipv6_udp(decode_hex(kIpv6Only, kIpv6Udp));
    EXPECT_TRUE(decode_hex(kIpv4Only, kIpv6Udp).has(Anomaly::bad_ipv4_version));
    EXPECT_TRUE(decode_hex(kIpv6Only, ipv4_tcp_hello()).has(Anomaly::bad_ipv6_version));
}

TEST(Pppoe, SessionIpv6) {
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) +
                                             "8864"  // PPPoE session
                                             "11 00"  // version 1 type 1, code 0
                                             "0042"   // session id
                                             "0034"   // length: 2 + 50
                                             "0057" +  // PPP protocol: IPv6
                                             std::string(kIpv6Udp));
    EXPECT_EQ(f.ethertype, 0x86dd);
    expect_ipv6_udp(f);
}

TEST(Pppoe, SessionIpv4WithPadding) {
    // PPPoE length bounds the packet: trailing Ethernet padding is ignored.
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) +
                                             "8864 1100 0001 002f 0021" + ipv4_tcp_hello() +
                                             "00000000");
    expect_ipv4_tcp_hello(f);
}

TEST(Pppoe, CompressedProtocolField) {
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) + "8864 1100 0001 002e 21" +
                                             ipv4_tcp_hello());
    expect_ipv4_tcp_hello(f);
}

TEST(Pppoe, LcpIsOther) {
    const auto f = decode_hex(kEthernet, std::string(kEthMacs) +
                                             "8864 1100 0001 0006 c021 09 01 0004");
    EXPECT_EQ(f.network, Network::other);
    EXPECT_EQ(problems(f), 0u);
}

TEST(Pppoe, Truncated) {
    EXPECT_TRUE(decode_hex(kEthernet, std::string(kEthMacs) + "8864 1100 0001")
                    .has(Anomaly::truncated_pppoe));
    EXPECT_TRUE(decode_hex(kEthernet, std::string(kEthMacs) + "8864 1100 0001 0000 0021")
                    .has(Anomaly::truncated_pppoe));
}

}  // namespace
}  // namespace sockeye::decode::test
