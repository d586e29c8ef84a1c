#include "export/metrics_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

namespace sockeye::exports {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kBacklog = 8;  // scrapers waiting while one is served
constexpr std::string_view kMetricsPath = "/metrics";
constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string response(std::string_view status, std::string_view content_type,
                     std::string_view extra_headers, std::string_view body) {
    std::string out;
    out.reserve(160 + body.size());
    out += "HTTP/1.1 ";
    out += status;
    out += "\r\nContent-Type: ";
    out += content_type;
    out += "\r\nContent-Length: ";
    out += std::to_string(body.size());
    out += "\r\nConnection: close\r\n";
    out += extra_headers;
    out += "\r\n";
    out += body;
    return out;
}

std::string error_response(std::string_view status, std::string_view extra_headers = {}) {
    std::string body(status);
    body += '\n';
    return response(status, "text/plain; charset=utf-8", extra_headers, body);
}

// Where the headers end ("\r\n\r\n", or "\n\n" from lenient clients).
std::size_t header_end(const std::string& request) {
    const auto crlf = request.find("\r\n\r\n");
    const auto lf = request.find("\n\n");
    return std::min(crlf, lf);
}

// A socket address for `a`; `all` (":PORT") is the IPv6 wildcard, which
// also accepts IPv4 unless the system forbids dual-stack sockets.
socklen_t to_sockaddr(const ListenAddress& a, bool ipv4_any, sockaddr_storage& out) {
    std::memset(&out, 0, sizeof out);
    if (a.address.is_v4() || ipv4_any) {
        auto* sin = reinterpret_cast<sockaddr_in*>(&out);
        sin->sin_family = AF_INET;
        sin->sin_port = htons(a.port);
        if (!ipv4_any) std::memcpy(&sin->sin_addr, a.address.bytes.data(), 4);
        return sizeof(sockaddr_in);
    }
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(a.port);
    if (!a.any()) std::memcpy(&sin6->sin6_addr, a.address.bytes.data(), 16);
    return sizeof(sockaddr_in6);
}

// socket + bind + listen; -1 with `err` (errno) on failure.
core::UniqueFd listen_on(const ListenAddress& a, bool ipv4_any, int& err) {
    sockaddr_storage addr;
    const socklen_t len = to_sockaddr(a, ipv4_any, addr);
    core::UniqueFd fd(::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd.valid()) {
        err = errno;
        return fd;
    }
    const int one = 1;
    // A restarted sockeye can bind again while old connections sit in TIME_WAIT.
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (addr.ss_family == AF_INET6 && a.any()) {
        const int zero = 0;
        ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    }
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), len) != 0 ||
        ::listen(fd.get(), kBacklog) != 0) {
        err = errno;
        fd.reset();
    }
    return fd;
}

std::uint16_t bound_port(int fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
    if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
}

}  // namespace

std::string metrics_http_response(const std::string& request, const std::string& metrics,
                                  bool& ok) {
    ok = false;
    const auto line_end = request.find_first_of("\r\n");
    const std::string_view line = std::string_view(request).substr(0, line_end);
    const auto sp1 = line.find(' ');
    const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
        return error_response("400 Bad Request");
    const std::string_view method = line.substr(0, sp1);
    std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (version.rfind("HTTP/1.", 0) != 0 || target.empty())
        return error_response("400 Bad Request");
    if (method != "GET") return error_response("405 Method Not Allowed", "Allow: GET\r\n");
    target = target.substr(0, target.find('?'));  // scrapers may add parameters
    if (target != kMetricsPath) return error_response("404 Not Found");
    ok = true;
    return response("200 OK", kContentType, {}, metrics);
}

core::Result<std::unique_ptr<MetricsServer>> MetricsServer::open(const ListenAddress& address,
                                                                 MetricsServerLimits limits) {
    int err = 0;
    core::UniqueFd listener = listen_on(address, false, err);
    // ":PORT" on a host without IPv6: all IPv4 interfaces then.
    if (!listener.valid() && address.any() && (err == EAFNOSUPPORT || err == EADDRNOTAVAIL))
        listener = listen_on(address, true, err);
    if (!listener.valid()) {
        return core::Error{core::error_code_for_errno(err), "cannot listen on " + address.to_string() +
                                                                " for --metrics: " + std::strerror(err)};
    }
    core::UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!wake.valid()) {
        const int e = errno;
        return core::Error{core::error_code_for_errno(e),
                           std::string("--metrics: eventfd: ") + std::strerror(e)};
    }
    ListenAddress bound = address;
    bound.port = bound_port(listener.get());
    return std::unique_ptr<MetricsServer>(
        new MetricsServer(std::move(listener), std::move(wake), bound, limits));
}

MetricsServer::MetricsServer(core::UniqueFd listener, core::UniqueFd wake, ListenAddress bound,
                             MetricsServerLimits limits)
    : listener_(std::move(listener)), wake_(std::move(wake)), bound_(bound), limits_(limits),
      text_(std::make_shared<const std::string>()) {}

MetricsServer::~MetricsServer() { stop(); }

void MetricsServer::start() {
    if (thread_.joinable() || stopping_.load()) return;
    thread_ = std::thread([this] { run(); });
}

void MetricsServer::stop() {
    stopping_.store(true);
    const std::uint64_t one = 1;
    // Cannot fail in a way that matters: a full counter still wakes poll.
    [[maybe_unused]] const auto n = ::write(wake_.get(), &one, sizeof one);
    if (thread_.joinable()) thread_.join();
}

void MetricsServer::publish(std::string text) {
    auto shared = std::make_shared<const std::string>(std::move(text));
    std::lock_guard lock(mutex_);
    text_ = std::move(shared);
}

bool MetricsServer::wait_for(int fd, short events, Clock::time_point deadline) const {
    while (!stopping_.load()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - Clock::now());
        if (left.count() <= 0) return false;
        pollfd fds[2] = {{fd, events, 0}, {wake_.get(), POLLIN, 0}};
        const int n = ::poll(fds, 2, static_cast<int>(left.count()));
        if (n < 0 && errno != EINTR) return false;
        if (n > 0 && (fds[1].revents & POLLIN) != 0) return false;
        if (n > 0 && fds[0].revents != 0) return true;
    }
    return false;
}

void MetricsServer::run() {
    while (!stopping_.load()) {
        pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
        const int n = ::poll(fds, 2, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if ((fds[1].revents & POLLIN) != 0) return;
        if ((fds[0].revents & POLLIN) == 0) continue;
        core::UniqueFd conn(::accept4(listener_.get(), nullptr, nullptr,
                                      SOCK_CLOEXEC | SOCK_NONBLOCK));
        if (!conn.valid()) continue;  // the client left already, or out of fds: try again
        serve(conn.get());
    }
}

void MetricsServer::serve(int fd) {
    std::string request;
    switch (read_request(fd, request)) {
        case ReadResult::gone:
            return;
        case ReadResult::too_large:
            if (write_all(fd, error_response("431 Request Header Fields Too Large")))
                drain_before_close(fd);
            return;
        case ReadResult::timed_out:
            write_all(fd, error_response("408 Request Timeout"));
            return;
        case ReadResult::complete:
            break;
    }
    std::shared_ptr<const std::string> text;
    {
        std::lock_guard lock(mutex_);
        text = text_;
    }
    bool ok = false;
    const std::string reply = metrics_http_response(request, *text, ok);
    if (!write_all(fd, reply)) return;
    if (ok) {
        scrapes_.fetch_add(1);
    } else {
        drain_before_close(fd);  // a refused request may have sent a body
    }
}

void MetricsServer::drain_before_close(int fd) {
    // Closing with unread bytes makes the kernel send a reset, which can
    // destroy the response before the client reads it: say we are done,
    // then read what the client still sends, briefly and boundedly.
    ::shutdown(fd, SHUT_WR);
    const auto deadline = Clock::now() + std::chrono::milliseconds(200);
    char buf[2048];
    for (std::size_t total = 0; total < 65536;) {
        if (!wait_for(fd, POLLIN, deadline)) return;
        const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n == 0) return;
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
            return;
        }
        total += static_cast<std::size_t>(n);
    }
}

MetricsServer::ReadResult MetricsServer::read_request(int fd, std::string& request) {
    const auto deadline = Clock::now() + limits_.read_timeout;
    char buf[2048];
    while (true) {
        if (header_end(request) != std::string::npos) return ReadResult::complete;
        if (request.size() >= limits_.max_request_bytes) return ReadResult::too_large;
        if (!wait_for(fd, POLLIN, deadline))
            return stopping_.load() ? ReadResult::gone : ReadResult::timed_out;
        const std::size_t room = std::min(sizeof buf, limits_.max_request_bytes - request.size());
        const ssize_t n = ::recv(fd, buf, room, MSG_DONTWAIT);
        if (n == 0) return ReadResult::gone;
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
            return ReadResult::gone;
        }
        request.append(buf, static_cast<std::size_t>(n));
    }
}

bool MetricsServer::write_all(int fd, const std::string& bytes) {
    const auto deadline = Clock::now() + limits_.write_timeout;
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        // MSG_NOSIGNAL: a scraper that hung up must not SIGPIPE the monitor.
        const ssize_t n =
            ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
        if (!wait_for(fd, POLLOUT, deadline)) return false;
    }
    return true;
}

}  // namespace sockeye::exports
