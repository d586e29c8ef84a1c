#include "host/neighbours.hpp"

#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sockeye::host {
namespace {

constexpr auto kReplyTimeout = std::chrono::milliseconds(200);  // must not hold up a snapshot for long

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
    ndmsg nd{};
    std::memcpy(&nd, body.data(), sizeof nd);
    if (!usable(nd.ndm_state)) return;
    Neighbour n;
    bool have_ip = false;
    bool have_mac = false;
    const auto attributes = body.subspan(std::min(body.size(), netlink_align(sizeof(ndmsg))));
    const bool well_formed = for_each_netlink_attribute(attributes, [&](std::uint16_t type, auto value) {
        if (type == NDA_DST) {
            if (nd.ndm_family == AF_INET && value.size() == 4) {
                n.ip = core::IpAddress::v4(value);
                have_ip = true;
            } else if (nd.ndm_family == AF_INET6 && value.size() == 16) {
                n.ip = core::IpAddress::v6(value);
                have_ip = true;
            }
        } else if (type == NDA_LLADDR && value.size() == n.mac.size()) {
            std::memcpy(n.mac.data(), value.data(), n.mac.size());
            have_mac = true;
        }
    });
    if (!well_formed) {
        reply.malformed = true;
        return;
    }
    if (have_ip && have_mac) out.push_back(n);
}

}  // namespace

void parse_neighbour_datagram(std::span<const std::uint8_t> datagram, std::uint32_t seq,
                              std::vector<Neighbour>& out, NeighbourReply& reply) {
    const bool well_formed = for_each_netlink_message(datagram, [&](const nlmsghdr& h, auto body) {
        if (h.nlmsg_seq != seq) return true;
        if (h.nlmsg_type == NLMSG_DONE) {
            reply.done = true;
            return false;
        }
        if (h.nlmsg_type == NLMSG_ERROR) {
            // An acknowledgement or garbage ends the dump just the same.
            const int error = netlink_error_of(body);
            reply.error = error != 0 ? error : EPROTO;
            reply.done = true;
            return false;
        }
        if (h.nlmsg_type == RTM_NEWNEIGH) read_neighbour(body, out, reply);
        return !reply.malformed;
    });
    if (!well_formed) reply.malformed = true;
}

NeighbourTable::NeighbourTable() : socket_(NETLINK_ROUTE, kReplyTimeout) {}

bool NeighbourTable::refresh() {
    if (!socket_.valid()) return false;
    struct {
        nlmsghdr header;
        ndmsg body;
    } request{};
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = RTM_GETNEIGH;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = ++seq_;
    request.body.ndm_family = AF_UNSPEC;  // IPv4 and IPv6 at once
    if (!socket_.send(netlink_bytes_of(request))) return false;
    std::vector<Neighbour> found;
    NeighbourReply reply;
    while (!reply.done) {
        const auto datagram = socket_.receive();
        if (datagram.empty()) return false;
        parse_neighbour_datagram(datagram, seq_, found, reply);
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
