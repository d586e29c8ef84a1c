// Transports: TCP with its options, UDP, ICMP, ICMPv6, IGMP; every
// truncation point of a TCP and a UDP packet.
#include <gtest/gtest.h>

#include <string>

#include "decode_fixture.hpp"

namespace sockeye::decode::test {
namespace {

std::string eth_ipv4(std::uint16_t total_len, std::uint8_t proto) {
    return std::string(kEthMacs) + "0800" + ipv4_header(total_len, proto);
}

TEST(Tcp, AllOptions) {
    const auto f = decode_hex(kEthernet, eth_ipv4(85, 6) +
                                             "d431 0050 00000001 00000002"
                                             "f0 10"  // header 60 bytes, ACK
                                             "2000 0000 0000"
                                             "020405b4"            // MSS 1460
                                             "0402"                // SACK permitted
                                             "080a 00000001 00000002"  // timestamps 1 / 2
                                             "01"                  // NOP
                                             "030307"              // window scale 7
                                             "0101"                // NOP NOP
                                             "050a 00001000 00002000"  // one SACK block
                                             "00 00000000000000"   // EOL + padding
                                             "68656c6c6f");
    ASSERT_EQ(f.transport, Transport::tcp);
    EXPECT_EQ(f.tcp.header_len, 60);
    EXPECT_EQ(f.tcp.flags, tcp_flag::kAck);
    EXPECT_EQ(f.tcp.seq, 1u);
    EXPECT_EQ(f.tcp.ack, 2u);
    EXPECT_EQ(f.tcp.window, 0x2000);
    EXPECT_EQ(f.tcp.mss, 1460);
    EXPECT_EQ(f.tcp.window_scale, 7);
    EXPECT_TRUE(f.tcp.sack_permitted);
    EXPECT_EQ(f.tcp.sack_blocks, 1);
    EXPECT_TRUE(f.tcp.has_timestamps);
    EXPECT_EQ(f.tcp.ts_val, 1u);
    EXPECT_EQ(f.tcp.ts_ecr, 2u);
    EXPECT_EQ(payload_text(f), "hello");
    EXPECT_EQ(f.payload_len, 5u);
    EXPECT_EQ(f.anomalies, 0u);
}

// A Linux SYN: MSS, SACK permitted, timestamps, NOP, window scale.
constexpr std::string_view kSyn =
    "c738 01bb"  // 51000 -> 443
    "a1b2c3d4 00000000"
    "a0 02"      // header 40 bytes, SYN
    "faf0 0000 0000"
    "020405b4 0402 080a 0012d687 00000000 01 030307";

TEST(Tcp, SynOptions) {
    const auto f = decode_hex(kEthernet, eth_ipv4(60, 6) + std::string(kSyn));
    EXPECT_EQ(f.tcp.flags, tcp_flag::kSyn);
    EXPECT_EQ(f.tcp.seq, 0xa1b2c3d4u);
    EXPECT_EQ(f.tcp.header_len, 40);
    EXPECT_EQ(f.tcp.mss, 1460);
    EXPECT_TRUE(f.tcp.sack_permitted);
    EXPECT_EQ(f.tcp.window_scale, 7);
    EXPECT_TRUE(f.tcp.has_timestamps);
    EXPECT_EQ(f.tcp.ts_val, 0x0012d687u);
    EXPECT_EQ(f.tcp.ts_ecr, 0u);
    EXPECT_EQ(f.tcp.sack_blocks, 0);
    EXPECT_TRUE(f.payload.empty());
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Tcp, AbsentOptionsHaveSentinels) {
    const auto f = decode_hex(kEthernet, eth_ipv4(40, 6) +
                                             "d431 0050 00000001 00000002 5011 2000 0000 0000");
    EXPECT_EQ(f.tcp.flags, tcp_flag::kFin | tcp_flag::kAck);
    EXPECT_EQ(f.tcp.mss, 0);
    EXPECT_EQ(f.tcp.window_scale, 0xFF);
    EXPECT_FALSE(f.tcp.sack_permitted);
    EXPECT_FALSE(f.tcp.has_timestamps);
}

TEST(Tcp, SackBlocks) {
    const auto f = decode_hex(kEthernet, eth_ipv4(72, 6) +
                                             "d431 0050 00000001 00000002 d0 10 2000 0000 0000"
                                             "0101 080a 00000005 00000006"
                                             "0101 0512"  // SACK, 2 blocks
                                             "00000100 00000200 00000300 00000400");
    EXPECT_EQ(f.tcp.sack_blocks, 2);
    EXPECT_TRUE(f.tcp.has_timestamps);
    EXPECT_EQ(f.tcp.ts_val, 5u);
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Tcp, WindowScaleIsClampedTo14) {
    const auto f = decode_hex(kEthernet, eth_ipv4(44, 6) +
                                             "d431 0050 00000001 00000002 60 02 2000 0000 0000"
                                             "03 03 1e 00");  // shift 30
    EXPECT_EQ(f.tcp.window_scale, 14);
}

TEST(Tcp, MalformedOptionsKeepHeaderFields) {
    for (const char* options : {
             "02 03 0500",       // MSS with length 3
             "fe 00 0000",       // length 0
             "fe 01 0000",       // length 1
             "08 0a 0000",       // timestamps running past the option area
             "05 0b 00000000 00000000 0000 00",  // SACK length 11 (not 2 + 8n)
             "04 03 00 00",      // SACK permitted with length 3
         }) {
        SCOPED_TRACE(options);
        const std::string opts = hex(options).size() == 4 ? "60" : "80";  // header 24 / 32
        const auto total = static_cast<std::uint16_t>(20 + (opts == "60" ? 24 : 32));
        const auto f = decode_hex(kEthernet, eth_ipv4(total, 6) +
                                                 "d431 0050 00000001 00000002" + opts +
                                                 "12 2000 0000 0000" + options);
        EXPECT_TRUE(f.has(Anomaly::bad_tcp_option));
        EXPECT_EQ(f.transport, Transport::tcp);
        EXPECT_EQ(f.tcp.flags, tcp_flag::kSyn | tcp_flag::kAck);
        EXPECT_EQ(f.tcp.seq, 1u);
        EXPECT_EQ(f.dst_port, 80);
    }
}

TEST(Tcp, UnknownOptionIsSkipped) {
    const auto f = decode_hex(kEthernet, eth_ipv4(44, 6) +
                                             "d431 0050 00000001 00000002 60 02 2000 0000 0000"
                                             "1e 04 0000");  // kind 30 (MPTCP), length 4
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Tcp, BadHeaderLength) {
    const auto small = decode_hex(kEthernet, eth_ipv4(40, 6) +
                                                 "d431 0050 00000001 00000002 40 10 2000 0000 0000");
    EXPECT_TRUE(small.has(Anomaly::bad_tcp_header_length));
    EXPECT_EQ(small.transport, Transport::tcp);
    EXPECT_EQ(small.tcp.seq, 1u);
    EXPECT_TRUE(small.payload.empty());
    // Data offset 60 bytes in a 40-byte IP payload.
    const auto large = decode_hex(kEthernet, eth_ipv4(60, 6) +
                                                 "d431 0050 00000001 00000002 f0 10 2000 0000 0000" +
                                                 std::string(40, '0'));
    EXPECT_TRUE(large.has(Anomaly::bad_tcp_header_length));
    EXPECT_FALSE(large.has(Anomaly::truncated_tcp));
}

TEST(Tcp, EveryTruncationPoint) {
    // Ethernet (14) + IPv4 (20) + TCP SYN with 20 bytes of options (40) + "hello".
    const auto full = hex(eth_ipv4(65, 6) + std::string(kSyn) + "68656c6c6f");
    ASSERT_EQ(full.size(), 79u);
    for (std::size_t len = 0; len <= full.size(); ++len) {
        SCOPED_TRACE(len);
        const std::vector<std::uint8_t> prefix(full.begin(),
                                               full.begin() + static_cast<std::ptrdiff_t>(len));
        const auto f = decode_span(kEthernet, prefix, 79);
        EXPECT_EQ(f.has(Anomaly::snaplen_truncated), len < 79);
        EXPECT_EQ(f.cap_len, len);
        EXPECT_EQ(f.wire_len, 79u);
        if (!f.payload.empty()) {
            EXPECT_GE(f.payload.data(), prefix.data());
            EXPECT_LE(f.payload.data() + f.payload.size(), prefix.data() + prefix.size());
        }
        if (len < 14) {
            EXPECT_TRUE(f.has(Anomaly::truncated_link));
            EXPECT_EQ(f.network, Network::none);
        } else if (len < 34) {
            EXPECT_TRUE(f.has(Anomaly::truncated_ipv4));
            EXPECT_EQ(f.network, Network::none);
        } else if (len < 38) {
            EXPECT_TRUE(f.has(Anomaly::truncated_tcp));
            EXPECT_EQ(f.network, Network::ipv4);
            EXPECT_EQ(f.transport, Transport::none);
        } else if (len < 74) {
            EXPECT_TRUE(f.has(Anomaly::truncated_tcp));
            EXPECT_EQ(f.transport, Transport::tcp);
            EXPECT_EQ(f.dst_port, 443);
            EXPECT_EQ(f.tcp.mss, 0);  // options not (fully) captured
            EXPECT_TRUE(f.payload.empty());
            if (len >= 54) {
                EXPECT_EQ(f.tcp.seq, 0xa1b2c3d4u);
            }
        } else {
            EXPECT_EQ(problems(f), 0u);
            EXPECT_EQ(f.tcp.mss, 1460);
            EXPECT_EQ(f.payload.size(), len - 74);
            EXPECT_EQ(f.payload_len, 5u);
        }
        if (len >= 14) {
            // Exactly one problem is reported at every cut.
            EXPECT_LE(__builtin_popcount(problems(f)), 1);
        }
    }
}

TEST(Udp, Basics) {
    const auto f = decode_hex(kEthernet, eth_ipv4(37, 17) +
                                             "c350 0035 0011 0000"  // 50000 -> 53, length 17
                                             "000101000001000000");  // 9 bytes of DNS
    EXPECT_EQ(f.transport, Transport::udp);
    EXPECT_EQ(f.src_port, 50000);
    EXPECT_EQ(f.dst_port, 53);
    EXPECT_EQ(f.payload.size(), 9u);
    EXPECT_EQ(f.payload_len, 9u);
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Udp, LengthShorterThanIpIsLegal) {
    // UDP length 10 in a 12-byte IP payload: the two surplus bytes are not payload.
    const auto f = decode_hex(kEthernet, eth_ipv4(32, 17) + "c350 0035 000a 0000 6869 ffff");
    EXPECT_EQ(payload_text(f), "hi");
    EXPECT_EQ(f.payload_len, 2u);
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Udp, BadLength) {
    const auto small = decode_hex(kEthernet, eth_ipv4(30, 17) + "c350 0035 0004 0000 6869");
    EXPECT_TRUE(small.has(Anomaly::bad_udp_length));
    EXPECT_EQ(small.transport, Transport::udp);
    EXPECT_EQ(payload_text(small), "hi");  // falls back to the IP length
    const auto large = decode_hex(kEthernet, eth_ipv4(30, 17) + "c350 0035 0100 0000 6869");
    EXPECT_TRUE(large.has(Anomaly::udp_length_exceeds_ip));
    EXPECT_FALSE(large.has(Anomaly::bad_udp_length));
    EXPECT_EQ(large.payload_len, 2u);
}

TEST(Udp, EveryTruncationPoint) {
    const auto full = hex(eth_ipv4(30, 17) + "c350 0035 000a 0000 6869");
    ASSERT_EQ(full.size(), 44u);
    for (std::size_t len = 34; len <= full.size(); ++len) {
        SCOPED_TRACE(len);
        const std::vector<std::uint8_t> prefix(full.begin(),
                                               full.begin() + static_cast<std::ptrdiff_t>(len));
        const auto f = decode_span(kEthernet, prefix, 44);
        EXPECT_EQ(f.has(Anomaly::truncated_udp), len < 42);
        EXPECT_EQ(f.transport, len < 38 ? Transport::none : Transport::udp);
        EXPECT_FALSE(f.has(Anomaly::bad_udp_length));
        if (len >= 42) {
            EXPECT_EQ(f.payload.size(), len - 42);
            EXPECT_EQ(f.payload_len, 2u);
        }
    }
}

TEST(Icmp, Echo) {
    const auto request = decode_hex(kEthernet, eth_ipv4(30, 1) +
                                                   "08 00 0000"  // echo request, checksum
                                                   "1234 0001"   // id, sequence
                                                   "abcd");
    EXPECT_EQ(request.transport, Transport::icmp);
    EXPECT_EQ(request.icmp.type, 8);
    EXPECT_TRUE(request.icmp.is_echo);
    EXPECT_FALSE(request.icmp.is_echo_reply);
    EXPECT_EQ(request.icmp.echo_id, 0x1234);
    EXPECT_EQ(request.icmp.echo_seq, 1);
    EXPECT_EQ(request.payload.size(), 2u);
    EXPECT_EQ(request.payload_len, 2u);
    EXPECT_EQ(request.src_port, 0);
    EXPECT_EQ(request.anomalies, 0u);

    const auto reply = decode_hex(kEthernet, eth_ipv4(28, 1) + "00 00 0000 1234 0001");
    EXPECT_TRUE(reply.icmp.is_echo);
    EXPECT_TRUE(reply.icmp.is_echo_reply);
    EXPECT_EQ(reply.icmp.echo_seq, 1);
}

TEST(Icmp, ErrorDoesNotBecomeTheInnerFlow) {
    const auto f = decode_hex(kEthernet, eth_ipv4(56, 1) +
                                             "03 03 0000 00000000"  // port unreachable
                                             // quoted packet: UDP 10.0.0.2 -> 10.0.0.1
                                             "4500 0024 0000 0000 4011 0000 0a000002 0a000001"
                                             "c350 0035 0010 0000");
    EXPECT_EQ(f.transport, Transport::icmp);
    EXPECT_EQ(f.ip_proto, 1);
    EXPECT_EQ(f.icmp.type, 3);
    EXPECT_EQ(f.icmp.code, 3);
    EXPECT_FALSE(f.icmp.is_echo);
    EXPECT_EQ(f.src_ip, ip("10.0.0.1"));
    EXPECT_EQ(f.dst_ip, ip("10.0.0.2"));
    EXPECT_EQ(f.src_port, 0);
    EXPECT_EQ(f.dst_port, 0);
    EXPECT_EQ(f.payload.size(), 28u);
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Icmp, Truncated) {
    const auto tiny = decode_hex(kEthernet, eth_ipv4(23, 1) + "08 00 00");
    EXPECT_TRUE(tiny.has(Anomaly::truncated_icmp));
    EXPECT_EQ(tiny.transport, Transport::none);
    const auto part = decode_hex(kEthernet, eth_ipv4(26, 1) + "08 00 0000 1234");
    EXPECT_TRUE(part.has(Anomaly::truncated_icmp));
    EXPECT_EQ(part.transport, Transport::icmp);
    EXPECT_EQ(part.icmp.type, 8);
}

std::string eth_ipv6(const char* payload_len, const char* next_header) {
    return std::string(kEthMacs) + "86dd 60000000" + payload_len + next_header +
           "ff fe800000000000000000000000000001 ff020000000000000000000000000001";
}

TEST(Icmpv6, Echo) {
    const auto f = decode_hex(kEthernet, eth_ipv6("000a", "3a") + "80 00 0000 0007 0003 6869");
    EXPECT_EQ(f.transport, Transport::icmpv6);
    EXPECT_EQ(f.ip_proto, 58);
    EXPECT_EQ(f.icmp.type, 128);
    EXPECT_TRUE(f.icmp.is_echo);
    EXPECT_FALSE(f.icmp.is_echo_reply);
    EXPECT_EQ(f.icmp.echo_id, 7);
    EXPECT_EQ(f.icmp.echo_seq, 3);
    EXPECT_EQ(payload_text(f), "hi");
    EXPECT_EQ(f.icmp.ndp_target.family, core::IpFamily::none);
    const auto reply = decode_hex(kEthernet, eth_ipv6("0008", "3a") + "81 00 0000 0007 0003");
    EXPECT_TRUE(reply.icmp.is_echo_reply);
}

TEST(Icmpv6, NeighborSolicitationAndAdvertisement) {
    const auto ns = decode_hex(kEthernet, eth_ipv6("0020", "3a") +
                                              "87 00 0000 00000000"  // NS, reserved
                                              "fe800000000000000000000000000002"  // target
                                              "01 01 020000000001");  // source link-layer
    EXPECT_EQ(ns.transport, Transport::icmpv6);
    EXPECT_EQ(ns.icmp.type, 135);
    EXPECT_FALSE(ns.icmp.is_echo);
    EXPECT_EQ(ns.icmp.ndp_target, ip("fe80::2"));
    EXPECT_EQ(ns.payload.size(), 8u);
    EXPECT_EQ(ns.payload_len, 8u);
    EXPECT_EQ(ns.anomalies, 0u);

    const auto na = decode_hex(kEthernet, eth_ipv6("0018", "3a") +
                                              "88 00 0000 60000000"  // NA, solicited+override
                                              "fe800000000000000000000000000002");
    EXPECT_EQ(na.icmp.type, 136);
    EXPECT_EQ(na.icmp.ndp_target, ip("fe80::2"));
    EXPECT_EQ(na.anomalies, 0u);

    const auto cut = decode_hex(kEthernet, eth_ipv6("0014", "3a") +
                                               "87 00 0000 00000000 fe800000000000000000");
    EXPECT_TRUE(cut.has(Anomaly::truncated_icmpv6));
    EXPECT_EQ(cut.transport, Transport::icmpv6);
    EXPECT_EQ(cut.icmp.ndp_target.family, core::IpFamily::none);
}

TEST(Icmpv6, RouterSolicitationHasNoTarget) {
    const auto f = decode_hex(kEthernet, eth_ipv6("0008", "3a") + "85 00 0000 00000000");
    EXPECT_EQ(f.icmp.type, 133);
    EXPECT_EQ(f.icmp.ndp_target.family, core::IpFamily::none);
    EXPECT_EQ(f.anomalies, 0u);
}

TEST(Igmp, V2ReportAndV3Report) {
    const auto v2 = decode_hex(kEthernet, eth_ipv4(28, 2) + "16 00 0000 effffffa");
    EXPECT_EQ(v2.transport, Transport::igmp);
    EXPECT_EQ(v2.igmp.type, 0x16);
    EXPECT_EQ(v2.igmp.group, ip("239.255.255.250"));
    EXPECT_EQ(v2.anomalies, 0u);

    const auto v3 = decode_hex(kEthernet, eth_ipv4(36, 2) +
                                              "22 00 0000 0000 0001"  // v3 report, 1 record
                                              "04 00 0000 e00000fb");  // EXCLUDE, 224.0.0.251
    EXPECT_EQ(v3.igmp.type, 0x22);
    EXPECT_EQ(v3.igmp.group, ip("224.0.0.251"));
    EXPECT_EQ(v3.anomalies, 0u);

    const auto cut = decode_hex(kEthernet, eth_ipv4(26, 2) + "16 00 0000 efef");
    EXPECT_TRUE(cut.has(Anomaly::truncated_igmp));
    EXPECT_EQ(cut.transport, Transport::igmp);
    EXPECT_EQ(cut.igmp.group.family, core::IpFamily::none);
}

}  // namespace
}  // namespace sockeye::decode::test
