#include "export/ipfix_transport.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

namespace sockeye::exports {
namespace {

int remaining_ms(IpfixTransport::Deadline deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return 0;
    return left.count() > 60'000 ? 60'000 : static_cast<int>(left.count());
}

}  // namespace

std::string IpfixEndpoint::text() const {
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(protocol == IpfixProtocol::tcp ? "tcp://" : "udp://") +
           (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

core::Result<IpfixEndpoint> parse_ipfix_endpoint(std::string_view text) {
    const auto malformed = [](const char* expected) {
        return core::Error{core::ErrorCode::usage, expected};
    };
    IpfixEndpoint e;
    if (text.rfind("udp://", 0) == 0) {
        text.remove_prefix(6);
    } else if (text.rfind("tcp://", 0) == 0) {
        e.protocol = IpfixProtocol::tcp;
        text.remove_prefix(6);
    } else if (text.find("://") != std::string_view::npos) {
        return malformed("expected udp:// or tcp:// (or no scheme: UDP)");
    }
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return malformed("expected [IPv6]:PORT");
        }
        e.host = std::string(text.substr(1, close - 1));
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) {
            return malformed("expected HOST:PORT (IPv6 addresses in brackets: [::1]:4739)");
        }
        e.host = std::string(text.substr(0, colon));
        port = text.substr(colon + 1);
    }
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (e.host.empty() || port.empty() || ec != std::errc{} || ptr != port.data() + port.size() ||
        value == 0 || value > 65535) {
        return malformed("expected HOST:PORT with a port from 1 to 65535");
    }
    e.port = static_cast<std::uint16_t>(value);
    return e;
}

core::Result<std::unique_ptr<IpfixTransport>> IpfixTransport::open(const IpfixEndpoint& endpoint) {
    std::unique_ptr<IpfixTransport> t(new IpfixTransport(endpoint));
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = endpoint.protocol == IpfixProtocol::tcp ? SOCK_STREAM : SOCK_DGRAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(endpoint.port);
    const int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found);
    if (rc != 0 || found == nullptr) {
        const core::ErrorCode code = rc == EAI_MEMORY ? core::ErrorCode::resource_exhausted
                                     : rc == EAI_AGAIN || rc == EAI_SYSTEM ? core::ErrorCode::io
                                                                          : core::ErrorCode::not_found;
        return core::Error{code,
                           "cannot resolve IPFIX collector '" + endpoint.host + "': " + ::gai_strerror(rc)};
    }
    std::memcpy(&t->address_, found->ai_addr, found->ai_addrlen);
    t->address_len_ = found->ai_addrlen;
    t->family_ = found->ai_family;
    ::freeaddrinfo(found);
    if (t->stream()) {
        // A refused or unreachable collector is the sender's to retry; only
        // a socket that cannot be made at all stops start-up.
        if (auto started = t->start_connect(); !started && t->fd_ < 0) return std::move(started).error();
        return t;
    }
    t->fd_ = ::socket(t->family_, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (t->fd_ < 0) return t->failure("socket", errno);
    if (::connect(t->fd_, reinterpret_cast<const sockaddr*>(&t->address_), t->address_len_) != 0) {
        return t->failure("connect", errno);
    }
    t->connected_ = true;
    t->sessions_ = 1;
    return t;
}

IpfixTransport::~IpfixTransport() {
    if (fd_ >= 0) ::close(fd_);
}

core::Error IpfixTransport::failure(const char* what, int err) const {
    return {core::error_code_for_errno(err),
            std::string("IPFIX collector ") + endpoint_.text() + ": " + what + ": " + std::strerror(err)};
}

core::Result<void> IpfixTransport::start_connect() {
    disconnect();
    fd_ = ::socket(family_, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return failure("socket", errno);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address_), address_len_) == 0) {
        connected_ = true;
        ++sessions_;
        return {};
    }
    if (errno == EINPROGRESS) {
        connecting_ = true;
        return {};
    }
    return failure("connect", errno);
}

core::Result<void> IpfixTransport::ensure_connected(Deadline deadline) {
    if (connected_) return {};
    if (!connecting_) {
        if (auto started = start_connect(); !started) return started;
    }
    if (connected_) return {};
    pollfd p{fd_, POLLOUT, 0};
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n == 0) {
        disconnect();
        return failure("connect", ETIMEDOUT);
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (n < 0) {
        err = errno;
    } else if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
        err = errno;
    }
    if (err != 0) {
        disconnect();
        return failure("connect", err);
    }
    connecting_ = false;
    connected_ = true;
    ++sessions_;
    return {};
}

core::Result<void> IpfixTransport::wait_writable(Deadline deadline) {
    pollfd p{fd_, POLLOUT, 0};
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return {};
    return failure("send", n == 0 ? ETIMEDOUT : errno);
}

core::Result<void> IpfixTransport::send(std::string_view message, Deadline deadline) {
    if (!connected_) return failure("send", ENOTCONN);
    if (!stream()) {
        // Never waits: a datagram the kernel cannot take now is lost.
        const ssize_t n = ::send(fd_, message.data(), message.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n == static_cast<ssize_t>(message.size())) return {};
        return failure("send", n < 0 ? errno : EMSGSIZE);
    }
    while (!message.empty()) {
        const ssize_t n = ::send(fd_, message.data(), message.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            message.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        core::Result<void> failed = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
                                        ? wait_writable(deadline)
                                        : failure("send", n < 0 ? errno : EPIPE);
        if (failed) continue;  // writable again
        disconnect();
        return failed;
    }
    return {};
}

void IpfixTransport::disconnect() {
    if (!stream()) return;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    connecting_ = false;
    connected_ = false;
}

}  // namespace sockeye::exports
