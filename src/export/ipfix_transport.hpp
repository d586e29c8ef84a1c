// Where --ipfix sends its messages, and the socket that carries them.
//
//   HOST:PORT, udp://HOST:PORT   UDP (RFC 7011 10.3): one message per datagram
//   tcp://HOST:PORT              TCP (RFC 7011 10.4): messages back to back
// HOST is a name, an IPv4 address or a bracketed IPv6 address ([::1]:4739).
//
// open() runs at start-up, before the sandbox: it resolves the name and
// creates the socket (UDP: connected, so an ICMP "port unreachable" comes
// back as ECONNREFUSED; TCP: a non-blocking connect is started). The
// sender thread then finishes or redoes the TCP connect (socket + connect)
// and sends; every call has a deadline, none blocks for longer.
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.hpp"

namespace sockeye::exports {

enum class IpfixProtocol : std::uint8_t { udp, tcp };

struct IpfixEndpoint {
    IpfixProtocol protocol = IpfixProtocol::udp;
    std::string host;  // without brackets
    std::uint16_t port = 0;
    // "udp://HOST:PORT" or "tcp://HOST:PORT": how counters and errors name it.
    [[nodiscard]] std::string text() const;
};

// Syntax only (no lookup). Malformed: ErrorCode::usage, the message says
// what was expected.
core::Result<IpfixEndpoint> parse_ipfix_endpoint(std::string_view text);

class IpfixTransport {
public:
    using Deadline = std::chrono::steady_clock::time_point;

    // A name that does not resolve is ErrorCode::not_found.
    static core::Result<std::unique_ptr<IpfixTransport>> open(const IpfixEndpoint& endpoint);
    ~IpfixTransport();
    IpfixTransport(const IpfixTransport&) = delete;
    IpfixTransport& operator=(const IpfixTransport&) = delete;

    [[nodiscard]] bool stream() const { return endpoint_.protocol == IpfixProtocol::tcp; }
    [[nodiscard]] const IpfixEndpoint& endpoint() const { return endpoint_; }
    // Connections made so far (TCP); each one is a new transport session:
    // templates again, sequence numbers from 0.
    [[nodiscard]] std::uint64_t sessions() const { return sessions_; }

    // UDP: connected already. TCP: finishes the pending connect or starts a
    // new one, by `deadline`.
    core::Result<void> ensure_connected(Deadline deadline);
    // Sends one whole message by `deadline`. On TCP a failure mid-message
    // breaks the framing: the connection is dropped (the next
    // ensure_connected reconnects).
    core::Result<void> send(std::string_view message, Deadline deadline);
    // TCP: closes the connection (nothing happens on UDP).
    void disconnect();

private:
    explicit IpfixTransport(IpfixEndpoint endpoint) : endpoint_(std::move(endpoint)) {}
    core::Result<void> start_connect();
    core::Result<void> wait_writable(Deadline deadline);
    // "IPFIX collector udp://HOST:PORT: send: <strerror>", coded by errno.
    [[nodiscard]] core::Error failure(const char* what, int err) const;

    IpfixEndpoint endpoint_;
    sockaddr_storage address_{};
    socklen_t address_len_ = 0;
    int family_ = 0;
    int fd_ = -1;
    bool connecting_ = false;  // TCP connect in progress
    bool connected_ = false;
    std::uint64_t sessions_ = 0;
};

}  // namespace sockeye::exports
