// IPv4 and IPv6 socket addresses (sockaddr_in, sockaddr_in6) as an address
// and a port, for code that gets them from the kernel (getifaddrs,
// getsockname, getpeername).
#pragma once

#include <cstdint>
#include <optional>

#include "core/ip_address.hpp"

struct sockaddr;

namespace sockeye::core {

struct Endpoint {
    IpAddress address{};
    std::uint16_t port = 0;  // host order
    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// nullopt for a null pointer and for families other than AF_INET/AF_INET6.
std::optional<Endpoint> endpoint_of(const sockaddr* address);
// A socket's own and its peer's address; nullopt when the call fails.
std::optional<Endpoint> local_endpoint(int fd);
std::optional<Endpoint> remote_endpoint(int fd);

}  // namespace sockeye::core
