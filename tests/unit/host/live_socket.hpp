// Real sockets on loopback for the live attribution tests, closed on scope exit.
#pragma once

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

#include "host/attributor.hpp"
#include "core/socket_address.hpp"
#include "core/unique_fd.hpp"

namespace sockeye::host::test {

// Attribution asks the kernel through sock_diag. qemu-user (the aarch64
// unit-test run of make test-static) refuses NETLINK_SOCK_DIAG sockets with
// EPROTONOSUPPORT: only then do the live tests skip; any other error still
// lets them run and fail.
inline bool sock_diag_available() {
    const core::UniqueFd fd(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    return fd.valid() || errno != EPROTONOSUPPORT;
}

struct Endpoint {
    core::IpAddress ip;
    std::uint16_t port = 0;
};

inline Endpoint local_end(int fd) {
    const auto e = core::local_endpoint(fd).value_or(core::Endpoint{});
    return {e.address, e.port};
}

inline Endpoint remote_end(int fd) {
    const auto e = core::remote_endpoint(fd).value_or(core::Endpoint{});
    return {e.address, e.port};
}

// A socket of `family`/`type` bound to `addr` (text) on an ephemeral port.
inline core::UniqueFd bound_socket(int family, int type, const char* addr, bool v6only = false) {
    core::UniqueFd fd(::socket(family, type | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return fd;
    const int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (family == AF_INET6) {
        const int v6 = v6only ? 1 : 0;
        ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &v6, sizeof v6);
        sockaddr_in6 sin6{};
        sin6.sin6_family = AF_INET6;
        inet_pton(AF_INET6, addr, &sin6.sin6_addr);
        if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sin6), sizeof sin6) != 0) return core::UniqueFd();
    } else {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        inet_pton(AF_INET, addr, &sin.sin_addr);
        if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sin), sizeof sin) != 0) return core::UniqueFd();
    }
    return fd;
}

inline bool connect_to(int fd, int family, const char* addr, std::uint16_t port) {
    if (family == AF_INET6) {
        sockaddr_in6 sin6{};
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons(port);
        inet_pton(AF_INET6, addr, &sin6.sin6_addr);
        return ::connect(fd, reinterpret_cast<sockaddr*>(&sin6), sizeof sin6) == 0;
    }
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    inet_pton(AF_INET, addr, &sin.sin_addr);
    return ::connect(fd, reinterpret_cast<sockaddr*>(&sin), sizeof sin) == 0;
}

// A TCP listener on 127.0.0.1 and a client connected to it, not yet
// accepted; `client` is invalid when any step failed.
struct LoopbackTcp {
    core::UniqueFd listener;
    core::UniqueFd client;
    Endpoint server;
};

inline LoopbackTcp loopback_tcp() {
    LoopbackTcp c;
    c.listener = bound_socket(AF_INET, SOCK_STREAM, "127.0.0.1");
    if (!c.listener.valid() || ::listen(c.listener.get(), 8) != 0) return c;
    c.server = local_end(c.listener.get());
    core::UniqueFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (connect_to(client.get(), AF_INET, "127.0.0.1", c.server.port)) c.client = std::move(client);
    return c;
}

// The tuple of a connected socket as the packet path would orient it.
inline SocketTuple tuple_of(std::uint8_t proto, int fd) {
    const Endpoint l = local_end(fd);
    const Endpoint r = remote_end(fd);
    return SocketTuple{proto, l.ip, l.port, r.ip, r.port};
}

// Polls until the attributor has an answer (not pending) or `timeout` passes.
inline Attribution wait_answer(const ProcessAttributor& a, const SocketTuple& t,
                               std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        Attribution r = a.lookup(t);
        if (r.reason != snapshot::UnattributedReason::pending ||
            std::chrono::steady_clock::now() >= deadline) {
            return r;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

}  // namespace sockeye::host::test
