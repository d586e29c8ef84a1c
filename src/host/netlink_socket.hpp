// A netlink socket to the kernel, shared by the clients that ask it about
// sockets (sock_diag), neighbours (rtnetlink) and translated connections
// (ctnetlink): a request goes out, the reply's datagrams come back into one
// reused buffer, and each client parses them with its own pure parser (each
// fuzzed on its own). The walkers below bound every length they read.
#pragma once

#include <linux/netlink.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "core/unique_fd.hpp"

namespace sockeye::host {

class NetlinkSocket {
public:
    // Opens the socket now, so a sandbox applied later does not stand in
    // the way of the requests; a reply slower than `reply_timeout` counts
    // as none (a kernel that never answers must not wedge the caller).
    NetlinkSocket(int protocol, std::chrono::milliseconds reply_timeout);
    [[nodiscard]] bool valid() const { return fd_.valid(); }
    [[nodiscard]] int open_error() const { return open_error_; }  // errno of socket(); 0 when open

    // The whole request in one datagram (interrupted sends are retried).
    bool send(std::span<const std::uint8_t> request);
    // The next datagram of the reply; empty when none came in time, the
    // socket failed, or it did not fit the buffer.
    std::span<const std::uint8_t> receive();

private:
    core::UniqueFd fd_;
    int open_error_ = 0;
    std::vector<std::uint8_t> buf_;
};

constexpr std::size_t netlink_align(std::size_t n) { return (n + NLMSG_ALIGNTO - 1) & ~std::size_t{NLMSG_ALIGNTO - 1}; }

// Calls visit(header, body) for each message of a datagram; `visit` returns
// false to stop. Returns false when a message's length is impossible (the
// walk stops there), true otherwise.
template <typename Visit>
bool for_each_netlink_message(std::span<const std::uint8_t> datagram, Visit&& visit) {
    for (std::size_t at = 0; at + sizeof(nlmsghdr) <= datagram.size();) {
        nlmsghdr h{};
        std::memcpy(&h, datagram.data() + at, sizeof h);
        if (h.nlmsg_len < sizeof(nlmsghdr) || h.nlmsg_len > datagram.size() - at) return false;
        if (!visit(h, datagram.subspan(at + sizeof(nlmsghdr), h.nlmsg_len - sizeof(nlmsghdr)))) return true;
        at += netlink_align(h.nlmsg_len);
    }
    return true;
}

// Calls visit(type, payload) for each attribute (rtattr and nlattr share a
// layout) in `bytes`; the type comes without the nested and byte-order
// flags. Returns false when an attribute's length is impossible.
template <typename Visit>
bool for_each_netlink_attribute(std::span<const std::uint8_t> bytes, Visit&& visit) {
    for (std::size_t at = 0; at + sizeof(nlattr) <= bytes.size();) {
        nlattr a{};
        std::memcpy(&a, bytes.data() + at, sizeof a);
        if (a.nla_len < sizeof(nlattr) || a.nla_len > bytes.size() - at) return false;
        visit(static_cast<std::uint16_t>(a.nla_type & NLA_TYPE_MASK),
              bytes.subspan(at + sizeof(nlattr), a.nla_len - sizeof(nlattr)));
        at += netlink_align(a.nla_len);
    }
    return true;
}

// A request laid out as one struct, as the bytes send() takes.
template <typename Request>
std::span<const std::uint8_t> netlink_bytes_of(const Request& request) {
    return {reinterpret_cast<const std::uint8_t*>(&request), sizeof request};
}

// The errno an NLMSG_ERROR body carries (the kernel sends -errno); EPROTO
// for anything else. 0 is an acknowledgement.
int netlink_error_of(std::span<const std::uint8_t> body);

}  // namespace sockeye::host
