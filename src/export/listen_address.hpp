// ADDR:PORT for servers sockeye runs (--metrics): a numeric address to bind,
// so start-up never waits on DNS.
//   127.0.0.1:9100   one IPv4 address
//   [::1]:9100       one IPv6 address (brackets required)
//   :9100            all interfaces, IPv6 and IPv4
//   localhost:9100   127.0.0.1
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ip_address.hpp"
#include "core/result.hpp"

namespace sockeye::exports {

struct ListenAddress {
    core::IpAddress address{};  // family none: all interfaces
    std::uint16_t port = 0;

    [[nodiscard]] bool any() const { return address.family == core::IpFamily::none; }
    // Back to the accepted form: "127.0.0.1:9100", "[::1]:9100", ":9100".
    [[nodiscard]] std::string to_string() const;
};

// Malformed: ErrorCode::usage, one line saying what is wrong, with an example.
core::Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace sockeye::exports
