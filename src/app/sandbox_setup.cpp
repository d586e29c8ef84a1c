#include "app/sandbox_setup.hpp"

#include <algorithm>
#include <charconv>

#include "app/stderr_line.hpp"

namespace sockeye::app {
namespace {

constexpr std::uint16_t kDnsPort = 53;

std::optional<std::uint16_t> parse_port(std::string_view text) {
    std::uint16_t port = 0;
    const char* end = text.data() + text.size();
    const auto r = std::from_chars(text.data(), end, port);
    if (text.empty() || r.ec != std::errc() || r.ptr != end || port == 0) return std::nullopt;
    return port;
}

// "1.2.3.4:5353" -> 5353, "[::1]:53" -> 53, "1.2.3.4" or "::1" -> 53.
std::uint16_t server_port(std::string_view server) {
    std::string_view port_text;
    if (!server.empty() && server.front() == '[') {
        const auto close = server.find("]:");
        if (close != std::string_view::npos) port_text = server.substr(close + 2);
    } else if (std::count(server.begin(), server.end(), ':') == 1) {
        port_text = server.substr(server.find(':') + 1);
    }
    return parse_port(port_text).value_or(kDnsPort);
}

void add_unique(std::vector<std::uint16_t>& ports, std::uint16_t port) {
    if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
}

}  // namespace

std::vector<std::uint16_t> dns_server_tcp_ports(const std::string& servers) {
    std::vector<std::uint16_t> ports;
    std::string_view rest = servers;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
        if (!item.empty()) add_unique(ports, server_port(item));
    }
    return ports;
}

sandbox::SandboxRequest sandbox_request_for(const Options& options, const RunNeeds& needs) {
    sandbox::SandboxRequest request;
    request.attribution = needs.attribution;
    request.reverse_dns = needs.reverse_dns;
    request.write_paths = needs.exports.write_paths;
    request.config_path = needs.config_path;
    request.strict = options.sandbox_strict;
    request.allow_kill = options.allow_kill;
    if (needs.reverse_dns) {
        for (const std::uint16_t port : dns_server_tcp_ports(options.dns_server))
            add_unique(request.tcp_connect_ports, port);
    }
    // An --ipfix collector over TCP is reconnected to after start-up.
    for (const std::uint16_t port : needs.exports.tcp_connect_ports)
        add_unique(request.tcp_connect_ports, port);
    // --metrics binds and listens before the sandbox; accept() needs no
    // Landlock rule, so no tcp_bind_ports for it.
    return request;
}

snapshot::SandboxStatus sandbox_status(const sandbox::SandboxReport* report) {
    snapshot::SandboxStatus status;
    if (report == nullptr) {
        status.summary = "off (--no-sandbox)";
        return status;
    }
    status.summary = report->layers_text();
    status.enforced = report->enforced;
    status.not_enforced = report->not_enforced;
    return status;
}

SandboxOutcome enter_sandbox(const Options& options, const sandbox::SandboxRequest& request,
                             const std::function<void()>& start_unconfined, bool announce_gaps) {
    SandboxOutcome outcome;
    if (options.no_sandbox) {
        if (start_unconfined) start_unconfined();
        outcome.status = sandbox_status(nullptr);
        return outcome;
    }
    outcome.report = sandbox::apply(request, start_unconfined);
    outcome.status = sandbox_status(&outcome.report);
    if (outcome.report.fully_enforced()) return outcome;
    if (options.sandbox_strict) {
        outcome.error = core::Error{core::ErrorCode::permission_denied,
                                    "--sandbox-strict: the sandbox is not fully enforced: " +
                                        outcome.report.summary()};
    } else if (announce_gaps) {
        // Quiet when everything holds; one line when something does not.
        print_stderr_line("sandbox: " + outcome.report.summary());
    }
    return outcome;
}

}  // namespace sockeye::app
