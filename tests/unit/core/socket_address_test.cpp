#include "core/socket_address.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace sockeye::core {
namespace {

TEST(SocketAddress, Ipv4AndIpv6InHostOrder) {
    sockaddr_storage ss{};
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(8443);
    ASSERT_EQ(inet_pton(AF_INET, "192.0.2.7", &sin->sin_addr), 1);
    EXPECT_EQ(endpoint_of(reinterpret_cast<const sockaddr*>(&ss)),
              (Endpoint{IpAddress::parse("192.0.2.7"), 8443}));

    ss = {};
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(53);
    ASSERT_EQ(inet_pton(AF_INET6, "2001:db8::53", &sin6->sin6_addr), 1);
    EXPECT_EQ(endpoint_of(reinterpret_cast<const sockaddr*>(&ss)),
              (Endpoint{IpAddress::parse("2001:db8::53"), 53}));
}

TEST(SocketAddress, OtherFamiliesAndFailuresAreNone) {
    sockaddr_un sun{};
    sun.sun_family = AF_UNIX;
    EXPECT_EQ(endpoint_of(reinterpret_cast<const sockaddr*>(&sun)), std::nullopt);
    EXPECT_EQ(endpoint_of(nullptr), std::nullopt);
    EXPECT_EQ(local_endpoint(-1), std::nullopt);
    EXPECT_EQ(remote_endpoint(-1), std::nullopt);
}

TEST(SocketAddress, ASocketsOwnEnds) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof sin), 0);
    const auto local = local_endpoint(fd);
    ASSERT_TRUE(local.has_value());
    EXPECT_EQ(local->address, IpAddress::parse("127.0.0.1"));
    EXPECT_NE(local->port, 0);
    EXPECT_EQ(remote_endpoint(fd), std::nullopt) << "not connected";
    ::close(fd);
}

}  // namespace
}  // namespace sockeye::core
