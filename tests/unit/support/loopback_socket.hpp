// Sockets on 127.0.0.1 with ports the kernel picks, for tests that need a
// collector, a server or a port nobody listens on.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>

namespace sockeye::test {

// A socket bound to 127.0.0.1 on a free port, listening for TCP; -1 on
// failure.
inline int bound_socket(int type, std::uint16_t& port) {
    const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        if (fd >= 0) ::close(fd);
        return -1;
    }
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    if (type == SOCK_STREAM && ::listen(fd, 4) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// A port nothing listens on (bound once, then closed; good enough on a
// test host).
inline std::uint16_t closed_port(int type) {
    std::uint16_t port = 0;
    const int fd = bound_socket(type, port);
    if (fd >= 0) ::close(fd);
    return port;
}

}  // namespace sockeye::test
