#include "host/sock_diag.hpp"

#include <gtest/gtest.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>

#include <cerrno>
#include <cstring>

#include "unit/host/diag_bytes.hpp"

namespace sockeye::host {
namespace {

using test::FakeSocket;

DiagReply parse(const std::vector<std::uint8_t>& bytes, std::vector<SocketEntry>& out,
                std::uint32_t seq = 7, std::uint8_t proto = kProtoTcp) {
    DiagReply reply;
    parse_diag_datagram(bytes, proto, seq, out, reply);
    return reply;
}

TEST(SockDiagParse, Ipv4AndIpv6SocketsThenDone) {
    std::vector<std::uint8_t> bytes;
    test::put_socket(bytes, FakeSocket{AF_INET, 1, "192.168.1.10", 51000, "93.184.216.34", 443, 1000, 4242, -1}, 7);
    test::put_socket(bytes, FakeSocket{AF_INET6, 10, "::", 8080, "::", 0, 0, 777, 0}, 7);
    test::put_done(bytes, 7);
    std::vector<SocketEntry> out;
    const auto reply = parse(bytes, out);
    EXPECT_TRUE(reply.done);
    EXPECT_EQ(reply.error, 0);
    EXPECT_EQ(reply.malformed, 0u);
    EXPECT_EQ(reply.messages, 3u);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].family, 4);
    EXPECT_EQ(out[0].state, kTcpEstablished);
    EXPECT_EQ(out[0].local_ip, core::IpAddress::parse("192.168.1.10"));
    EXPECT_EQ(out[0].local_port, 51000);
    EXPECT_EQ(out[0].remote_ip, core::IpAddress::parse("93.184.216.34"));
    EXPECT_EQ(out[0].remote_port, 443);
    EXPECT_EQ(out[0].uid, 1000u);
    EXPECT_EQ(out[0].inode, 4242u);
    EXPECT_EQ(out[0].ip_proto, kProtoTcp);
    EXPECT_EQ(out[1].family, 6);
    EXPECT_EQ(out[1].state, kTcpListen);
    EXPECT_EQ(out[1].local_ip, core::IpAddress::parse("::"));
    EXPECT_FALSE(out[1].v6only);
}

TEST(SockDiagParse, V4MappedAddressesAreUnmappedAndV6OnlyRead) {
    std::vector<std::uint8_t> bytes;
    test::put_socket(bytes, FakeSocket{AF_INET6, 1, "::ffff:127.0.0.1", 80, "::ffff:127.0.0.1", 40000, 0, 9, 0}, 7);
    test::put_socket(bytes, FakeSocket{AF_INET6, 10, "::", 22, "::", 0, 0, 10, 1}, 7);
    std::vector<SocketEntry> out;
    const auto reply = parse(bytes, out);
    EXPECT_FALSE(reply.done);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].family, 6);
    EXPECT_TRUE(out[0].local_ip.is_v4());
    EXPECT_EQ(out[0].local_ip, core::IpAddress::parse("127.0.0.1"));
    EXPECT_EQ(out[0].remote_ip, core::IpAddress::parse("127.0.0.1"));
    EXPECT_TRUE(out[1].v6only);
}

TEST(SockDiagParse, ErrorMessageAndDoneWithError) {
    std::vector<std::uint8_t> bytes;
    test::put_error(bytes, 7, -ENOENT);
    std::vector<SocketEntry> out;
    auto reply = parse(bytes, out);
    EXPECT_TRUE(reply.done);
    EXPECT_EQ(reply.error, ENOENT);
    EXPECT_TRUE(out.empty());

    bytes.clear();
    test::put_error(bytes, 7, 0);  // an ACK
    reply = parse(bytes, out);
    EXPECT_TRUE(reply.done);
    EXPECT_EQ(reply.error, 0);

    bytes.clear();
    test::put_done(bytes, 7, -EINTR);
    reply = parse(bytes, out);
    EXPECT_TRUE(reply.done);
    EXPECT_EQ(reply.error, EINTR);
}

// Codes beyond any errno (INT32_MIN cannot even be negated) are a broken
// message: EPROTO, in an error and in a done message alike.
TEST(SockDiagParse, ImpossibleErrorCodesBecomeEproto) {
    for (const std::int32_t code : {INT32_MIN, -4096, -100000}) {
        std::vector<std::uint8_t> bytes;
        test::put_error(bytes, 7, code);
        std::vector<SocketEntry> out;
        EXPECT_EQ(parse(bytes, out).error, EPROTO) << code;
        bytes.clear();
        test::put_done(bytes, 7, code);
        EXPECT_EQ(parse(bytes, out).error, EPROTO) << code;
    }
    std::vector<std::uint8_t> bytes;
    test::put_error(bytes, 7, -4095);  // MAX_ERRNO itself is still an errno
    std::vector<SocketEntry> out;
    EXPECT_EQ(parse(bytes, out).error, 4095);
}

TEST(SockDiagParse, StaleSequenceNumbersAreIgnored) {
    std::vector<std::uint8_t> bytes;
    test::put_socket(bytes, FakeSocket{AF_INET, 1, "10.0.0.1", 1, "10.0.0.2", 2, 0, 1, -1}, 6);
    test::put_done(bytes, 6);
    test::put_socket(bytes, FakeSocket{AF_INET, 1, "10.0.0.1", 3, "10.0.0.2", 4, 0, 2, -1}, 7);
    std::vector<SocketEntry> out;
    const auto reply = parse(bytes, out);
    EXPECT_EQ(reply.foreign, 2u);
    EXPECT_FALSE(reply.done);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].inode, 2u);
}

TEST(SockDiagParse, TruncatedAtEveryLengthNeverReadsPastTheEnd) {
    std::vector<std::uint8_t> full;
    test::put_socket(full, FakeSocket{AF_INET6, 1, "2001:db8::1", 5000, "2001:db8::2", 443, 1, 99, 0}, 7);
    test::put_done(full, 7);
    for (std::size_t n = 0; n < full.size(); ++n) {
        // A copy of exactly n bytes: ASan flags any read past it.
        std::vector<std::uint8_t> cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
        std::vector<SocketEntry> out;
        const auto reply = parse(cut, out);
        const std::size_t socket_len = full.size() - 20;
        if (n < socket_len) {
            EXPECT_TRUE(out.empty()) << n;
            if (n > 0) {
                EXPECT_GT(reply.malformed, 0u) << n;
            }
        } else {
            EXPECT_EQ(out.size(), 1u) << n;
        }
        EXPECT_FALSE(reply.done && n < full.size()) << n;
    }
}

TEST(SockDiagParse, HostileLengths) {
    std::vector<SocketEntry> out;
    // nlmsg_len smaller than the header: stop, do not loop.
    std::vector<std::uint8_t> tiny;
    test::put_header(tiny, 4, SOCK_DIAG_BY_FAMILY, 7);
    tiny.resize(64, 0);
    EXPECT_EQ(parse(tiny, out).malformed, 1u);
    // nlmsg_len beyond the datagram.
    std::vector<std::uint8_t> huge;
    test::put_header(huge, 0xffffffffu, SOCK_DIAG_BY_FAMILY, 7);
    EXPECT_EQ(parse(huge, out).malformed, 1u);
    // A socket message too short for inet_diag_msg, then a good one.
    std::vector<std::uint8_t> short_msg;
    test::put_header(short_msg, 16 + 8, SOCK_DIAG_BY_FAMILY, 7);
    short_msg.resize(short_msg.size() + 8, 0);
    test::put_socket(short_msg, FakeSocket{AF_INET, 1, "10.0.0.1", 1, "10.0.0.2", 2, 0, 5, -1}, 7);
    auto reply = parse(short_msg, out);
    EXPECT_EQ(reply.malformed, 1u);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].inode, 5u);
    out.clear();
    // An unknown address family is skipped.
    std::vector<std::uint8_t> bad_family;
    test::put_socket(bad_family, FakeSocket{AF_INET, 1, "10.0.0.1", 1, "10.0.0.2", 2, 0, 5, -1}, 7);
    bad_family[16] = 99;
    reply = parse(bad_family, out);
    EXPECT_EQ(reply.malformed, 1u);
    EXPECT_TRUE(out.empty());
    // Attribute with a length past the message: the socket stays, the
    // attribute walk stops.
    std::vector<std::uint8_t> bad_attr;
    test::put_socket(bad_attr, FakeSocket{AF_INET6, 10, "::", 22, "::", 0, 0, 6, 1}, 7);
    bad_attr[16 + 72] = 0xff;
    bad_attr[16 + 73] = 0x00;
    reply = parse(bad_attr, out);
    EXPECT_EQ(reply.malformed, 0u);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_FALSE(out[0].v6only);
}

TEST(SockDiagParse, KernelRttFromTcpInfo) {
    std::vector<std::uint8_t> bytes;
    FakeSocket with_info{AF_INET, 1, "10.0.0.1", 40000, "10.0.0.2", 443, 0, 5, -1};
    with_info.tcpi_rtt_us = 73;
    test::put_socket(bytes, with_info, 7);
    FakeSocket without{AF_INET, 1, "10.0.0.1", 40001, "10.0.0.2", 443, 0, 6, 1};
    test::put_socket(bytes, without, 7);
    FakeSocket cut = with_info;  // tcp_info ending before tcpi_rtt
    cut.info_bytes = 68;
    test::put_socket(bytes, cut, 7);
    FakeSocket just_enough = with_info;
    just_enough.info_bytes = 72;
    test::put_socket(bytes, just_enough, 7);
    std::vector<SocketEntry> out;
    const auto reply = parse(bytes, out);
    EXPECT_EQ(reply.malformed, 0u);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0].kernel_srtt_us, 73);
    EXPECT_EQ(out[1].kernel_srtt_us, -1);
    EXPECT_TRUE(out[1].v6only);
    EXPECT_EQ(out[2].kernel_srtt_us, -1);
    EXPECT_EQ(out[3].kernel_srtt_us, 73);

    // UDP sockets carry no tcp_info, whatever the attribute says.
    std::vector<SocketEntry> udp;
    parse(bytes, udp, 7, kProtoUdp);
    ASSERT_EQ(udp.size(), 4u);
    EXPECT_EQ(udp[0].kernel_srtt_us, -1);
}

TEST(SockDiagRequest, DumpAndExactRequestsCarryTheQuery) {
    const auto dump = build_dump_request(AF_INET6, kProtoUdp, kAllStates, 42);
    ASSERT_EQ(dump.size(), sizeof(nlmsghdr) + sizeof(inet_diag_req_v2));
    nlmsghdr h{};
    std::memcpy(&h, dump.data(), sizeof h);
    EXPECT_EQ(h.nlmsg_len, dump.size());
    EXPECT_EQ(h.nlmsg_type, SOCK_DIAG_BY_FAMILY);
    EXPECT_EQ(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
    EXPECT_EQ(h.nlmsg_seq, 42u);
    inet_diag_req_v2 req{};
    std::memcpy(&req, dump.data() + sizeof h, sizeof req);
    EXPECT_EQ(req.sdiag_family, AF_INET6);
    EXPECT_EQ(req.sdiag_protocol, kProtoUdp);
    EXPECT_EQ(req.idiag_states, kAllStates);

    SocketTuple t{kProtoTcp, core::IpAddress::parse("::ffff:10.1.2.3"), 40000,
                  core::IpAddress::parse("10.9.9.9"), 443};
    const auto exact = build_exact_request(t, 43);
    std::memcpy(&h, exact.data(), sizeof h);
    EXPECT_EQ(h.nlmsg_flags, NLM_F_REQUEST);
    std::memcpy(&req, exact.data() + sizeof h, sizeof req);
    EXPECT_EQ(req.sdiag_family, AF_INET);  // the mapped address was unmapped
    EXPECT_EQ(ntohs(req.id.idiag_sport), 40000);
    EXPECT_EQ(ntohs(req.id.idiag_dport), 443);
    const std::uint8_t local[4] = {10, 1, 2, 3};
    EXPECT_EQ(std::memcmp(req.id.idiag_src, local, 4), 0);
    EXPECT_EQ(req.id.idiag_cookie[0], INET_DIAG_NOCOOKIE);
    EXPECT_EQ(req.idiag_ext, 0);

    const auto with_info = build_exact_request(t, 44, true);
    std::memcpy(&req, with_info.data() + sizeof h, sizeof req);
    EXPECT_EQ(req.idiag_ext, 1u << (INET_DIAG_INFO - 1));
}

}  // namespace
}  // namespace sockeye::host
