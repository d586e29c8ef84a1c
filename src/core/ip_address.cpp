#include "core/ip_address.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace sockeye::core {

IpAddress IpAddress::v4(std::span<const std::uint8_t> four) {
    IpAddress a;
    std::copy_n(four.begin(), std::min<std::size_t>(4, four.size()), a.bytes.begin());
    a.family = IpFamily::v4;
    return a;
}

IpAddress IpAddress::v4(std::uint32_t host_order) {
    const std::array<std::uint8_t, 4> b{static_cast<std::uint8_t>(host_order >> 24),
                                        static_cast<std::uint8_t>(host_order >> 16),
                                        static_cast<std::uint8_t>(host_order >> 8),
                                        static_cast<std::uint8_t>(host_order)};
    return v4(b);
}

IpAddress IpAddress::v6(std::span<const std::uint8_t> sixteen) {
    IpAddress a;
    std::copy_n(sixteen.begin(), std::min<std::size_t>(16, sixteen.size()), a.bytes.begin());
    a.family = IpFamily::v6;
    return a;
}

std::string IpAddress::to_string() const {
    char buf[INET6_ADDRSTRLEN] = {};
    switch (family) {
        case IpFamily::v4:
            inet_ntop(AF_INET, bytes.data(), buf, sizeof buf);
            return buf;
        case IpFamily::v6:
            inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
            return buf;
        case IpFamily::none:
            break;
    }
    return {};
}

IpAddress IpAddress::parse(const std::string& text) {
    IpAddress a;
    if (inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) {
        a.family = IpFamily::v4;
    } else if (inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) {
        a.family = IpFamily::v6;
    } else {
        a = IpAddress{};
    }
    return a;
}

}  // namespace sockeye::core
