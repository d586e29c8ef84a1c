#include "host/neighbours.hpp"

#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>

namespace sockeye::host {
namespace {

constexpr std::size_t kRecvBuffer = 64 * 1024;
constexpr std::size_t kAlign = 4;  // NLMSG_ALIGNTO and RTA_ALIGNTO

constexpr std::size_t align(std::size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

template <typename T>
T read_at(std::span<const std::uint8_t> bytes, std::size_t at) {
    T value{};
    std::memcpy(&value, bytes.data() + at, sizeof value);
    return value;
}

bool usable(std::uint16_t state) {
    constexpr std::uint16_t kUsable = NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT;
    return (state & kUsable) != 0;
}

// The attributes of one RTM_NEWNEIGH body (after its ndmsg).
void read_neighbour(std::span<const std::uint8_t> body, std::vector<Neighbour>& out, NeighbourReply& reply) {
    if (body.size() < sizeof(ndmsg)) {
        reply.malformed = true;
        return;
    }
    const auto nd = read_at<ndmsg>(body, 0);
    if (!usable(nd.ndm_state)) return;
    Neighbour n;
    bool have_ip = false;
    bool have_mac = false;
    for (std::size_t at = align(sizeof(ndmsg)); at + sizeof(rtattr) <= body.size();) {
        const auto attr = read_at<rtattr>(body, at);
        if (attr.rta_len < sizeof(rtattr) || attr.rta_len > body.size() - at) {
            reply.malformed = true;
            return;
        }
        const auto value = body.subspan(at + sizeof(rtattr), attr.rta_len - sizeof(rtattr));
        if (attr.rta_type == NDA_DST) {
            if (nd.ndm_family == AF_INET && value.size() == 4) {
                n.ip = core::IpAddress::v4(value);
                have_ip = true;
            } else if (nd.ndm_family == AF_INET6 && value.size() == 16) {
                n.ip = core::IpAddress::v6(value);
                have_ip = true;
            }
        } else if (attr.rta_type == NDA_LLADDR && value.size() == n.mac.size()) {
            std::memcpy(n.mac.data(), value.data(), n.mac.size());
            have_mac = true;
        }
        at += align(attr.rta_len);
    }
    if (have_ip && have_mac) out.push_back(n);
}

}  // namespace

void parse_neighbour_datagram(std::span<const std::uint8_t> datagram, std::uint32_t seq,
                              std::vector<Neighbour>& out, NeighbourReply& reply) {
    for (std::size_t at = 0; at + sizeof(nlmsghdr) <= datagram.size();) {
        const auto h = read_at<nlmsghdr>(datagram, at);
        if (h.nlmsg_len < sizeof(nlmsghdr) || h.nlmsg_len > datagram.size() - at) {
            reply.malformed = true;
            return;
        }
        const auto body = datagram.subspan(at + sizeof(nlmsghdr), h.nlmsg_len - sizeof(nlmsghdr));
        if (h.nlmsg_seq == seq) {
            if (h.nlmsg_type == NLMSG_DONE) {
                reply.done = true;
                return;
            }
            if (h.nlmsg_type == NLMSG_ERROR) {
                int error = 0;
                if (body.size() >= sizeof error) error = read_at<int>(body, 0);
                // The kernel sends -errno; anything else (an acknowledgement,
                // garbage) ends the dump just the same.
                reply.error = error < 0 && error > -4096 ? -error : EPROTO;
                reply.done = true;
                return;
            }
            if (h.nlmsg_type == RTM_NEWNEIGH) read_neighbour(body, out, reply);
            if (reply.malformed) return;
        }
        at += align(h.nlmsg_len);
    }
}

NeighbourTable::NeighbourTable() : buf_(kRecvBuffer) {
    fd_ = core::UniqueFd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (!fd_.valid()) return;
    // A kernel that never answers must not hold up a snapshot for long.
    timeval tv{};
    tv.tv_usec = 200 * 1000;
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

bool NeighbourTable::refresh() {
    if (!fd_.valid()) return false;
    struct {
        nlmsghdr header;
        ndmsg body;
    } request{};
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = RTM_GETNEIGH;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = ++seq_;
    request.body.ndm_family = AF_UNSPEC;  // IPv4 and IPv6 at once
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t sent = 0;
    do {
        sent = ::sendto(fd_.get(), &request, sizeof request, 0, reinterpret_cast<const sockaddr*>(&kernel),
                        sizeof kernel);
    } while (sent < 0 && errno == EINTR);
    if (sent != static_cast<ssize_t>(sizeof request)) return false;

    std::vector<Neighbour> found;
    NeighbourReply reply;
    while (!reply.done) {
        const ssize_t n = ::recv(fd_.get(), buf_.data(), buf_.size(), MSG_TRUNC);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || static_cast<std::size_t>(n) > buf_.size()) return false;
        parse_neighbour_datagram(std::span<const std::uint8_t>(buf_.data(), static_cast<std::size_t>(n)), seq_,
                                 found, reply);
        if (reply.malformed || reply.error != 0) return false;
    }
    table_.clear();
    for (const auto& nb : found) table_[nb.ip] = nb.mac;
    return true;
}

std::optional<LinkAddress> NeighbourTable::mac_of(const core::IpAddress& ip) const {
    const auto it = table_.find(ip);
    if (it == table_.end()) return std::nullopt;
    return it->second;
}

}  // namespace sockeye::host
