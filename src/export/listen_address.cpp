#include "export/listen_address.hpp"

#include <charconv>

namespace sockeye::exports {
namespace {

constexpr const char* kExamples = "e.g. 127.0.0.1:9100, [::1]:9100 or :9100 for all interfaces";

bool parse_port(std::string_view text, std::uint16_t& port) {
    if (text.empty() || text.size() > 5) return false;
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || value == 0 || value > 65535) return false;
    port = static_cast<std::uint16_t>(value);
    return true;
}

}  // namespace

std::string ListenAddress::to_string() const {
    const std::string port_text = std::to_string(port);
    if (any()) return ":" + port_text;
    if (address.is_v6()) return "[" + address.to_string() + "]:" + port_text;
    return address.to_string() + ":" + port_text;
}

core::Result<ListenAddress> parse_listen_address(std::string_view text) {
    const auto fail = [](const std::string& why) {
        return core::Error{core::ErrorCode::usage, why + " (" + kExamples + ")"};
    };
    std::string_view host;
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return fail("missing ']' after the IPv6 address");
        host = text.substr(1, close - 1);
        const auto rest = text.substr(close + 1);
        if (rest.empty() || rest.front() != ':') return fail("expected :PORT after ']'");
        port_text = rest.substr(1);
        if (host.empty()) return fail("empty address between '[' and ']'");
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return fail("expected ADDR:PORT");
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos)
            return fail("write an IPv6 address in brackets");
    }
    ListenAddress out;
    if (!parse_port(port_text, out.port)) return fail("expected a port from 1 to 65535");
    if (host.empty()) return out;  // all interfaces
    if (host == "localhost") host = "127.0.0.1";
    out.address = core::IpAddress::parse(std::string(host));
    if (out.address.family == core::IpFamily::none)
        return fail("'" + std::string(host) + "' is not a numeric IP address");
    // "[1.2.3.4]:80" or "::1" without brackets are not what the user meant.
    if (text.front() == '[' && !out.address.is_v6()) return fail("brackets are for IPv6 addresses");
    return out;
}

}  // namespace sockeye::exports
