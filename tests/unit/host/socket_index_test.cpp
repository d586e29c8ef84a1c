#include "host/socket_index.hpp"

#include <gtest/gtest.h>

namespace sockeye::host {
namespace {

using snapshot::ProcessMatch;

core::IpAddress ip(const char* s) { return core::IpAddress::parse(s); }

SocketEntry sock(std::uint8_t proto, std::uint8_t state, const char* local, std::uint16_t lport,
                 const char* remote, std::uint16_t rport, std::uint64_t inode, bool v6only = false) {
    SocketEntry e;
    e.ip_proto = proto;
    e.state = state;
    e.local_ip = ip(local);
    e.family = e.local_ip.is_v4() ? 4 : 6;
    e.local_port = lport;
    e.remote_ip = ip(remote);
    e.remote_port = rport;
    e.inode = inode;
    e.v6only = v6only;
    return e;
}

SocketTuple tuple(std::uint8_t proto, const char* local, std::uint16_t lport, const char* remote,
                  std::uint16_t rport) {
    return SocketTuple{proto, ip(local), lport, ip(remote), rport};
}

TEST(SocketIndex, ExactBeatsListenerBeatsNothing) {
    SocketIndex idx;
    idx.rebuild({
        sock(kProtoTcp, kTcpListen, "0.0.0.0", 80, "0.0.0.0", 0, 100),
        sock(kProtoTcp, kTcpEstablished, "10.0.0.1", 80, "10.0.0.9", 5555, 101),
    });
    auto m = idx.match(tuple(kProtoTcp, "10.0.0.1", 80, "10.0.0.9", 5555));
    ASSERT_NE(m.socket, nullptr);
    EXPECT_EQ(m.kind, ProcessMatch::exact);
    EXPECT_EQ(m.socket->inode, 101u);
    // Another peer of the same service, not accepted yet: the listener.
    m = idx.match(tuple(kProtoTcp, "10.0.0.1", 80, "10.0.0.8", 6000));
    ASSERT_NE(m.socket, nullptr);
    EXPECT_EQ(m.kind, ProcessMatch::listener);
    EXPECT_EQ(m.socket->inode, 100u);
    // Nothing on that port.
    m = idx.match(tuple(kProtoTcp, "10.0.0.1", 81, "10.0.0.8", 6000));
    EXPECT_EQ(m.socket, nullptr);
    EXPECT_EQ(m.kind, ProcessMatch::none);
}

TEST(SocketIndex, SpecificListenerAddressBeatsWildcard) {
    SocketIndex idx;
    idx.rebuild({
        sock(kProtoTcp, kTcpListen, "0.0.0.0", 53, "0.0.0.0", 0, 1),
        sock(kProtoTcp, kTcpListen, "127.0.0.53", 53, "0.0.0.0", 0, 2),
    });
    EXPECT_EQ(idx.match(tuple(kProtoTcp, "127.0.0.53", 53, "127.0.0.1", 4000)).socket->inode, 2u);
    EXPECT_EQ(idx.match(tuple(kProtoTcp, "10.0.0.1", 53, "10.0.0.2", 4000)).socket->inode, 1u);
    // A listener on another specific address does not serve this one.
    SocketIndex only_specific;
    only_specific.rebuild({sock(kProtoTcp, kTcpListen, "127.0.0.53", 53, "0.0.0.0", 0, 2)});
    EXPECT_EQ(only_specific.match(tuple(kProtoTcp, "10.0.0.1", 53, "10.0.0.2", 4000)).socket, nullptr);
}

TEST(SocketIndex, DualStackListenerServesIpv4UnlessV6Only) {
    SocketIndex idx;
    idx.rebuild({sock(kProtoTcp, kTcpListen, "::", 8080, "::", 0, 7)});
    auto m = idx.match(tuple(kProtoTcp, "192.168.0.5", 8080, "192.168.0.9", 3000));
    ASSERT_NE(m.socket, nullptr);
    EXPECT_EQ(m.kind, ProcessMatch::listener);
    // Also when the packet path hands over a v4-mapped tuple.
    m = idx.match(tuple(kProtoTcp, "::ffff:192.168.0.5", 8080, "::ffff:192.168.0.9", 3000));
    ASSERT_NE(m.socket, nullptr);
    EXPECT_TRUE(idx.match(tuple(kProtoTcp, "2001:db8::1", 8080, "2001:db8::2", 3000)).socket != nullptr);

    SocketIndex v6only;
    v6only.rebuild({sock(kProtoTcp, kTcpListen, "::", 8080, "::", 0, 7, true)});
    EXPECT_EQ(v6only.match(tuple(kProtoTcp, "192.168.0.5", 8080, "192.168.0.9", 3000)).socket, nullptr);
    EXPECT_NE(v6only.match(tuple(kProtoTcp, "2001:db8::1", 8080, "2001:db8::2", 3000)).socket, nullptr);
    // A same-family wildcard beats the dual-stack one.
    SocketIndex both;
    both.rebuild({sock(kProtoTcp, kTcpListen, "::", 8080, "::", 0, 7),
                  sock(kProtoTcp, kTcpListen, "0.0.0.0", 8080, "0.0.0.0", 0, 8)});
    EXPECT_EQ(both.match(tuple(kProtoTcp, "192.168.0.5", 8080, "192.168.0.9", 3000)).socket->inode, 8u);
}

TEST(SocketIndex, AcceptedSocketOfDualStackListenerMatchesIpv4FlowExactly) {
    // The kernel reports it as AF_INET6 with ::ffff: addresses; the parser
    // unmaps them, so it is an exact match for the IPv4 flow.
    SocketEntry accepted = sock(kProtoTcp, kTcpEstablished, "127.0.0.1", 8080, "127.0.0.1", 45000, 55);
    accepted.family = 6;
    SocketIndex idx;
    idx.rebuild({accepted, sock(kProtoTcp, kTcpListen, "::", 8080, "::", 0, 54)});
    const auto m = idx.match(tuple(kProtoTcp, "127.0.0.1", 8080, "127.0.0.1", 45000));
    EXPECT_EQ(m.kind, ProcessMatch::exact);
    EXPECT_EQ(m.socket->inode, 55u);
}

TEST(SocketIndex, UdpConnectedIsExactUnconnectedIsWildcard) {
    SocketIndex idx;
    idx.rebuild({
        sock(kProtoUdp, kTcpClose, "0.0.0.0", 5353, "0.0.0.0", 0, 20),
        sock(kProtoUdp, kTcpEstablished, "10.0.0.1", 40000, "1.1.1.1", 53, 21),
        sock(kProtoUdp, kTcpClose, "::", 123, "::", 0, 22),
    });
    auto m = idx.match(tuple(kProtoUdp, "10.0.0.1", 40000, "1.1.1.1", 53));
    EXPECT_EQ(m.kind, ProcessMatch::exact);
    EXPECT_EQ(m.socket->inode, 21u);
    m = idx.match(tuple(kProtoUdp, "10.0.0.1", 5353, "224.0.0.251", 5353));
    EXPECT_EQ(m.kind, ProcessMatch::wildcard);
    EXPECT_EQ(m.socket->inode, 20u);
    // An NTP server on :: answers IPv4 clients too.
    m = idx.match(tuple(kProtoUdp, "10.0.0.1", 123, "10.0.0.7", 123));
    EXPECT_EQ(m.kind, ProcessMatch::wildcard);
    EXPECT_EQ(m.socket->inode, 22u);
    // TCP never matches a UDP socket.
    EXPECT_EQ(idx.match(tuple(kProtoTcp, "10.0.0.1", 5353, "10.0.0.2", 1)).socket, nullptr);
}

TEST(SocketIndex, ClosedExactSocketFallsBackToListenerElseReportsIt) {
    SocketIndex idx;
    idx.rebuild({
        sock(kProtoTcp, kTcpTimeWait, "10.0.0.1", 443, "10.0.0.9", 1234, 0),
        sock(kProtoTcp, kTcpEstablished, "10.0.0.1", 50000, "10.0.0.9", 80, 0),
        sock(kProtoTcp, kTcpListen, "0.0.0.0", 443, "0.0.0.0", 0, 30),
    });
    auto m = idx.match(tuple(kProtoTcp, "10.0.0.1", 443, "10.0.0.9", 1234));
    EXPECT_EQ(m.kind, ProcessMatch::listener);
    EXPECT_EQ(m.socket->inode, 30u);
    // An orphaned client socket: found, but with no file to own it.
    m = idx.match(tuple(kProtoTcp, "10.0.0.1", 50000, "10.0.0.9", 80));
    EXPECT_EQ(m.kind, ProcessMatch::exact);
    EXPECT_EQ(m.socket->inode, 0u);
}

TEST(SocketIndex, DuplicateTupleKeepsTheOneWithAFile) {
    SocketIndex idx;
    idx.rebuild({
        sock(kProtoTcp, kTcpTimeWait, "10.0.0.1", 50000, "10.0.0.9", 80, 0),
        sock(kProtoTcp, kTcpEstablished, "10.0.0.1", 50000, "10.0.0.9", 80, 77),
    });
    EXPECT_EQ(idx.match(tuple(kProtoTcp, "10.0.0.1", 50000, "10.0.0.9", 80)).socket->inode, 77u);
    idx.add(sock(kProtoTcp, kTcpTimeWait, "10.0.0.1", 50000, "10.0.0.9", 80, 0));
    EXPECT_EQ(idx.match(tuple(kProtoTcp, "10.0.0.1", 50000, "10.0.0.9", 80)).socket->inode, 77u);
}

TEST(SocketTupleTest, UnmapAndHelpers) {
    EXPECT_EQ(unmap_v4(ip("::ffff:1.2.3.4")), ip("1.2.3.4"));
    EXPECT_EQ(unmap_v4(ip("::1")), ip("::1"));
    EXPECT_EQ(unmap_v4(ip("64:ff9b::1.2.3.4")), ip("64:ff9b::1.2.3.4"));
    EXPECT_TRUE(is_any_address(ip("0.0.0.0")));
    EXPECT_TRUE(is_any_address(ip("::")));
    EXPECT_FALSE(is_any_address(core::IpAddress{}));
    EXPECT_TRUE(is_loopback(ip("127.1.2.3")));
    EXPECT_TRUE(is_loopback(ip("::1")));
    EXPECT_FALSE(is_loopback(ip("::2")));
    SocketTupleHash h;
    EXPECT_EQ(h(tuple(kProtoTcp, "1.2.3.4", 1, "5.6.7.8", 2)), h(tuple(kProtoTcp, "1.2.3.4", 1, "5.6.7.8", 2)));
    EXPECT_NE(h(tuple(kProtoTcp, "1.2.3.4", 1, "5.6.7.8", 2)), h(tuple(kProtoTcp, "1.2.3.4", 2, "5.6.7.8", 1)));
}

}  // namespace
}  // namespace sockeye::host
