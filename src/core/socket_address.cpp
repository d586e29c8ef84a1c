#include "core/socket_address.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace sockeye::core {

std::optional<Endpoint> endpoint_of(const sockaddr* address) {
    if (address == nullptr) return std::nullopt;
    // Copied out with memcpy: what the pointer points at need not be aligned
    // for the family's own struct (a sockaddr from getifaddrs, a storage).
    if (address->sa_family == AF_INET) {
        sockaddr_in sin{};
        std::memcpy(&sin, address, sizeof sin);
        std::uint8_t bytes[4];
        std::memcpy(bytes, &sin.sin_addr, sizeof bytes);
        return Endpoint{IpAddress::v4(bytes), ntohs(sin.sin_port)};
    }
    if (address->sa_family == AF_INET6) {
        sockaddr_in6 sin6{};
        std::memcpy(&sin6, address, sizeof sin6);
        std::uint8_t bytes[16];
        std::memcpy(bytes, &sin6.sin6_addr, sizeof bytes);
        return Endpoint{IpAddress::v6(bytes), ntohs(sin6.sin6_port)};
    }
    return std::nullopt;
}

std::optional<Endpoint> local_endpoint(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return std::nullopt;
    return endpoint_of(reinterpret_cast<const sockaddr*>(&ss));
}

std::optional<Endpoint> remote_endpoint(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return std::nullopt;
    return endpoint_of(reinterpret_cast<const sockaddr*>(&ss));
}

}  // namespace sockeye::core
