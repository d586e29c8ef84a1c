#include "host/conntrack.hpp"

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace sockeye::host {
namespace {

constexpr auto kReplyTimeout = std::chrono::milliseconds(200);
constexpr std::uint16_t kGet = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
constexpr std::uint16_t kNew = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;

bool has_ports(std::uint8_t ip_proto) { return ip_proto == kProtoTcp || ip_proto == kProtoUdp; }

// Appends attributes in host byte order headers; nested ones are closed by
// writing their length once their contents are in.
class AttributeWriter {
public:
    explicit AttributeWriter(std::vector<std::uint8_t>& out) : out_(out) {}
    void add(std::uint16_t type, std::span<const std::uint8_t> value) {
        const std::size_t at = begin(type);
        out_.insert(out_.end(), value.begin(), value.end());
        end(at);
    }
    std::size_t begin(std::uint16_t type) {
        const std::size_t at = out_.size();
        nlattr a{};
        a.nla_type = type;
        out_.resize(at + sizeof a);
        std::memcpy(out_.data() + at, &a, sizeof a);
        return at;
    }
    std::size_t begin_nested(std::uint16_t type) { return begin(static_cast<std::uint16_t>(type | NLA_F_NESTED)); }
    void end(std::size_t at) {
        const auto len = static_cast<std::uint16_t>(out_.size() - at);
        std::memcpy(out_.data() + at, &len, sizeof len);
        out_.resize(netlink_align(out_.size()));
    }

private:
    std::vector<std::uint8_t>& out_;
};

std::span<const std::uint8_t> address_bytes(const core::IpAddress& a) {
    return std::span<const std::uint8_t>(a.bytes.data(), a.is_v4() ? 4 : 16);
}

std::array<std::uint8_t, 2> port_bytes(std::uint16_t port) {
    return {static_cast<std::uint8_t>(port >> 8), static_cast<std::uint8_t>(port & 0xff)};
}

struct PartialTuple {
    ConntrackTuple tuple;
    bool source = false, destination = false, proto = false, source_port = false, destination_port = false;
    [[nodiscard]] bool complete() const {
        return source && destination && proto && (!has_ports(tuple.ip_proto) || (source_port && destination_port));
    }
};

bool read_ip(std::span<const std::uint8_t> bytes, PartialTuple& t) {
    return for_each_netlink_attribute(bytes, [&](std::uint16_t type, std::span<const std::uint8_t> v) {
        if ((type == CTA_IP_V4_SRC || type == CTA_IP_V4_DST) && v.size() == 4) {
            (type == CTA_IP_V4_SRC ? t.tuple.source : t.tuple.destination) = core::IpAddress::v4(v);
            (type == CTA_IP_V4_SRC ? t.source : t.destination) = true;
        } else if ((type == CTA_IP_V6_SRC || type == CTA_IP_V6_DST) && v.size() == 16) {
            (type == CTA_IP_V6_SRC ? t.tuple.source : t.tuple.destination) = core::IpAddress::v6(v);
            (type == CTA_IP_V6_SRC ? t.source : t.destination) = true;
        }
    });
}

bool read_proto(std::span<const std::uint8_t> bytes, PartialTuple& t) {
    return for_each_netlink_attribute(bytes, [&](std::uint16_t type, std::span<const std::uint8_t> v) {
        if (type == CTA_PROTO_NUM && v.size() >= 1) {
            t.tuple.ip_proto = v[0];
            t.proto = true;
        } else if ((type == CTA_PROTO_SRC_PORT || type == CTA_PROTO_DST_PORT) && v.size() >= 2) {
            const auto port = static_cast<std::uint16_t>((v[0] << 8) | v[1]);
            (type == CTA_PROTO_SRC_PORT ? t.tuple.source_port : t.tuple.destination_port) = port;
            (type == CTA_PROTO_SRC_PORT ? t.source_port : t.destination_port) = true;
        }
    });
}

bool read_tuple(std::span<const std::uint8_t> bytes, PartialTuple& t) {
    bool inner_ok = true;
    const bool ok = for_each_netlink_attribute(bytes, [&](std::uint16_t type, std::span<const std::uint8_t> v) {
        if (type == CTA_TUPLE_IP) inner_ok = read_ip(v, t) && inner_ok;
        if (type == CTA_TUPLE_PROTO) inner_ok = read_proto(v, t) && inner_ok;
    });
    return ok && inner_ok;
}

bool same_end(const core::IpAddress& a, std::uint16_t a_port, const core::IpAddress& b, std::uint16_t b_port) {
    return unmap_v4(a) == unmap_v4(b) && a_port == b_port;
}

SocketTuple local_first(const ConntrackTuple& t) {
    return normalized(SocketTuple{t.ip_proto, t.source, t.source_port, t.destination, t.destination_port});
}

}  // namespace

std::vector<std::uint8_t> build_conntrack_get(const ConntrackTuple& tuple, ConntrackKey key, std::uint32_t seq) {
    std::vector<std::uint8_t> out(sizeof(nlmsghdr) + sizeof(nfgenmsg));
    nfgenmsg nf{};
    nf.nfgen_family = tuple.source.is_v4() ? AF_INET : AF_INET6;
    nf.version = NFNETLINK_V0;
    std::memcpy(out.data() + sizeof(nlmsghdr), &nf, sizeof nf);
    AttributeWriter w(out);
    const std::size_t outer = w.begin_nested(key == ConntrackKey::original ? CTA_TUPLE_ORIG : CTA_TUPLE_REPLY);
    const std::size_t ip = w.begin_nested(CTA_TUPLE_IP);
    const bool v4 = tuple.source.is_v4();
    w.add(v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, address_bytes(tuple.source));
    w.add(v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST, address_bytes(tuple.destination));
    w.end(ip);
    const std::size_t proto = w.begin_nested(CTA_TUPLE_PROTO);
    w.add(CTA_PROTO_NUM, std::span<const std::uint8_t>(&tuple.ip_proto, 1));
    const auto sport = port_bytes(tuple.source_port);
    const auto dport = port_bytes(tuple.destination_port);
    w.add(CTA_PROTO_SRC_PORT, sport);
    w.add(CTA_PROTO_DST_PORT, dport);
    w.end(proto);
    w.end(outer);
    nlmsghdr h{};
    h.nlmsg_len = static_cast<std::uint32_t>(out.size());
    h.nlmsg_type = kGet;
    h.nlmsg_flags = NLM_F_REQUEST;
    h.nlmsg_seq = seq;
    std::memcpy(out.data(), &h, sizeof h);
    return out;
}

ConntrackReply parse_conntrack_datagram(std::span<const std::uint8_t> datagram, std::uint32_t seq) {
    ConntrackReply reply;
    const bool ok = for_each_netlink_message(datagram, [&](const nlmsghdr& h, std::span<const std::uint8_t> body) {
        if (h.nlmsg_seq != seq) return true;
        if (h.nlmsg_type == NLMSG_ERROR) {
            reply.error = netlink_error_of(body);
            return reply.error == 0;  // an acknowledgement: the entry may follow
        }
        if (h.nlmsg_type != kNew) return true;
        if (body.size() < sizeof(nfgenmsg)) {
            reply.malformed = true;
            return false;
        }
        PartialTuple original, answer;
        bool inner_ok = true;
        const bool attrs_ok = for_each_netlink_attribute(
            body.subspan(netlink_align(sizeof(nfgenmsg))), [&](std::uint16_t type, std::span<const std::uint8_t> v) {
                if (type == CTA_TUPLE_ORIG) inner_ok = read_tuple(v, original) && inner_ok;
                if (type == CTA_TUPLE_REPLY) inner_ok = read_tuple(v, answer) && inner_ok;
            });
        if (!attrs_ok || !inner_ok || !original.complete() || !answer.complete() ||
            original.tuple.ip_proto != answer.tuple.ip_proto) {
            reply.malformed = true;
            return false;
        }
        reply.entry = ConntrackEntry{original.tuple, answer.tuple};
        return false;
    });
    if (!ok) reply.malformed = true;
    return reply;
}

std::optional<SocketTuple> untranslated_owner(const SocketTuple& seen, const ConntrackEntry& e) {
    const SocketTuple s = normalized(seen);
    // Replies travel remote -> local end as seen: the flow was sent from
    // here, maybe from another address (source NAT).
    if (same_end(e.reply.source, e.reply.source_port, s.remote_ip, s.remote_port) &&
        same_end(e.reply.destination, e.reply.destination_port, s.local_ip, s.local_port)) {
        if (same_end(e.original.source, e.original.source_port, s.local_ip, s.local_port)) return std::nullopt;
        return local_first(e.original);
    }
    // The first packet travelled remote -> local end as seen: the flow was
    // received here, maybe for someone else (destination NAT).
    if (same_end(e.original.source, e.original.source_port, s.remote_ip, s.remote_port) &&
        same_end(e.original.destination, e.original.destination_port, s.local_ip, s.local_port)) {
        if (same_end(e.reply.source, e.reply.source_port, s.local_ip, s.local_port)) return std::nullopt;
        return local_first(e.reply);
    }
    return std::nullopt;
}

ConntrackClient::ConntrackClient() : socket_(NETLINK_NETFILTER, kReplyTimeout) {
    if (!socket_.valid()) refused_ = socket_.open_error();
}

std::optional<ConntrackEntry> ConntrackClient::get(const ConntrackTuple& tuple, ConntrackKey key) {
    ++queries_;
    const std::uint32_t seq = ++seq_;
    if (!socket_.send(build_conntrack_get(tuple, key, seq))) return std::nullopt;
    for (int datagrams = 0; datagrams < 4; ++datagrams) {
        const auto datagram = socket_.receive();
        if (datagram.empty()) return std::nullopt;
        const ConntrackReply reply = parse_conntrack_datagram(datagram, seq);
        if (reply.entry) return reply.entry;
        // Not allowed, or no conntrack in this kernel (its netlink
        // subsystem missing answers EINVAL): asking again would not help.
        if (reply.error == EPERM || reply.error == EACCES || reply.error == EOPNOTSUPP ||
            reply.error == EPROTONOSUPPORT || reply.error == EAFNOSUPPORT || reply.error == EINVAL) {
            refused_ = reply.error;
        }
        if (reply.error != 0 || reply.malformed) return std::nullopt;
    }
    return std::nullopt;
}

std::optional<SocketTuple> ConntrackClient::owner_of(const SocketTuple& seen) {
    if (refused_ != 0 || !has_ports(seen.ip_proto)) return std::nullopt;
    const SocketTuple s = normalized(seen);
    if (s.local_ip.family != s.remote_ip.family) return std::nullopt;
    // The kernel finds a connection by either direction's tuple: the one
    // travelling remote -> local is the reply of a flow sent from here and
    // the original of one received here, so a single lookup serves both.
    const auto entry = get(ConntrackTuple{s.ip_proto, s.remote_ip, s.remote_port, s.local_ip, s.local_port},
                           ConntrackKey::original);
    if (!entry) return std::nullopt;
    return untranslated_owner(s, *entry);
}

}  // namespace sockeye::host
