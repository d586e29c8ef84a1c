#include "host/netlink_socket.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>

namespace sockeye::host {
namespace {

constexpr std::size_t kReceiveBuffer = 64 * 1024;

}  // namespace

NetlinkSocket::NetlinkSocket(int protocol, std::chrono::milliseconds reply_timeout) : buf_(kReceiveBuffer) {
    fd_ = core::UniqueFd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol));
    if (!fd_.valid()) {
        open_error_ = errno;
        return;
    }
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(reply_timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((reply_timeout.count() % 1000) * 1000);
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

bool NetlinkSocket::send(std::span<const std::uint8_t> request) {
    if (!fd_.valid()) return false;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t sent = 0;
    do {
        sent = ::sendto(fd_.get(), request.data(), request.size(), 0, reinterpret_cast<const sockaddr*>(&kernel),
                        sizeof kernel);
    } while (sent < 0 && errno == EINTR);
    return sent == static_cast<ssize_t>(request.size());
}

std::span<const std::uint8_t> NetlinkSocket::receive() {
    if (!fd_.valid()) return {};
    ssize_t n = 0;
    do {
        n = ::recv(fd_.get(), buf_.data(), buf_.size(), MSG_TRUNC);
    } while (n < 0 && errno == EINTR);
    if (n <= 0 || static_cast<std::size_t>(n) > buf_.size()) return {};
    return {buf_.data(), static_cast<std::size_t>(n)};
}

int netlink_error_of(std::span<const std::uint8_t> body) {
    int error = 0;
    if (body.size() < sizeof error) return EPROTO;
    std::memcpy(&error, body.data(), sizeof error);
    if (error == 0) return 0;
    return error < 0 && error > -4096 ? -error : EPROTO;
}

}  // namespace sockeye::host
