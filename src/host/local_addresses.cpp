#include "host/local_addresses.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace sockeye::host {

std::vector<core::IpAddress> local_addresses() {
    std::vector<core::IpAddress> out;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return out;
    for (ifaddrs* it = list; it != nullptr; it = it->ifa_next) {
        if (it->ifa_addr == nullptr) continue;
        // sockaddr_in/in6 are copied out with memcpy: the kernel's structs may
        // not be aligned for a direct cast.
        if (it->ifa_addr->sa_family == AF_INET) {
            sockaddr_in sin{};
            std::memcpy(&sin, it->ifa_addr, sizeof sin);
            std::uint8_t bytes[4];
            std::memcpy(bytes, &sin.sin_addr, 4);
            out.push_back(core::IpAddress::v4(bytes));
        } else if (it->ifa_addr->sa_family == AF_INET6) {
            sockaddr_in6 sin6{};
            std::memcpy(&sin6, it->ifa_addr, sizeof sin6);
            std::uint8_t bytes[16];
            std::memcpy(bytes, &sin6.sin6_addr, 16);
            out.push_back(core::IpAddress::v6(bytes));
        }
    }
    freeifaddrs(list);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace sockeye::host
