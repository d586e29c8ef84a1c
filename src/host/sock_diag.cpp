#include "host/sock_diag.hpp"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <bit>
#include <cstddef>
#include <cerrno>
#include <cstring>

#include "core/byte_reader.hpp"

namespace sockeye::host {
namespace {

constexpr std::size_t kNlHeader = 16;     // struct nlmsghdr
constexpr std::size_t kDiagMsg = 72;      // struct inet_diag_msg
constexpr std::uint16_t kAttrV6Only = 11; // INET_DIAG_SKV6ONLY
constexpr std::uint16_t kAttrInfo = 2;    // INET_DIAG_INFO: struct tcp_info for TCP
// tcpi_rtt sits at the same offset in every tcp_info the kernel has sent
// since 2.6; newer kernels only append fields.
constexpr std::size_t kTcpInfoRtt = offsetof(tcp_info, tcpi_rtt);
constexpr std::uint16_t kAttrTypeMask = 0x3fff;  // without NLA_F_NESTED / NLA_F_NET_BYTEORDER

static_assert(sizeof(nlmsghdr) == kNlHeader);
static_assert(sizeof(inet_diag_msg) == kDiagMsg);
static_assert(kAttrV6Only == INET_DIAG_SKV6ONLY && kAttrInfo == INET_DIAG_INFO);
static_assert(kTcpInfoRtt == 68);

constexpr std::size_t align4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

// Netlink headers and inet_diag counters are in host byte order.
std::uint16_t u16_host(core::ByteReader& r) {
    if constexpr (std::endian::native == std::endian::little) return r.u16_le();
    return r.u16_be();
}
std::uint32_t u32_host(core::ByteReader& r) {
    if constexpr (std::endian::native == std::endian::little) return r.u32_le();
    return r.u32_be();
}

core::IpAddress read_address(std::span<const std::uint8_t> sixteen, std::uint8_t family) {
    if (family == AF_INET) return core::IpAddress::v4(sixteen.first(4));
    return unmap_v4(core::IpAddress::v6(sixteen));
}

// Walks the rtattrs after inet_diag_msg; a broken attribute ends the walk
// (the socket itself is still good).
void parse_attributes(core::ByteReader attrs, SocketEntry& e) {
    while (attrs.remaining() >= 4) {
        const std::uint16_t len = u16_host(attrs);
        const std::uint16_t type = u16_host(attrs) & kAttrTypeMask;
        if (len < 4 || len - 4u > attrs.remaining()) return;
        const auto payload = attrs.take(len - 4u);
        if (type == kAttrV6Only && !payload.empty()) e.v6only = payload[0] != 0;
        if (type == kAttrInfo && e.ip_proto == kProtoTcp && payload.size() >= kTcpInfoRtt + 4) {
            core::ByteReader info(payload.subspan(kTcpInfoRtt, 4));
            e.kernel_srtt_us = u32_host(info);
        }
        attrs.skip(std::min(align4(len) - len, attrs.remaining()));
    }
}

// One SOCK_DIAG_BY_FAMILY payload. False when it is not a usable socket.
bool parse_diag_msg(std::span<const std::uint8_t> payload, std::uint8_t ip_proto, SocketEntry& e) {
    core::ByteReader r(payload);
    const std::uint8_t family = r.u8();
    e.state = r.u8();
    r.skip(2);  // timer, retrans
    e.local_port = r.u16_be();
    e.remote_port = r.u16_be();
    const auto src = r.take(16);
    const auto dst = r.take(16);
    r.skip(4 + 8 + 4 + 4 + 4);  // ifindex, cookie, expires, rqueue, wqueue
    e.uid = u32_host(r);
    e.inode = u32_host(r);
    if (!r.ok() || (family != AF_INET && family != AF_INET6)) return false;
    e.ip_proto = ip_proto;
    e.family = family == AF_INET ? 4 : 6;
    e.local_ip = read_address(src, family);
    e.remote_ip = read_address(dst, family);
    r.skip(std::min(align4(kDiagMsg) - kDiagMsg, r.remaining()));
    parse_attributes(core::ByteReader(r.rest()), e);
    return true;
}

// Netlink reports failures as -errno. Kernel errno values stay below 4096
// (MAX_ERRNO); a code beyond that is a broken message, and INT32_MIN could
// not even be negated.
int errno_from_code(std::int32_t code) { return code >= -4095 ? -code : EPROTO; }

void parse_error(std::span<const std::uint8_t> payload, DiagReply& reply) {
    core::ByteReader r(payload);
    const auto code = static_cast<std::int32_t>(u32_host(r));
    if (!r.ok()) {
        ++reply.malformed;
        reply.error = EPROTO;
    } else if (code < 0) {
        reply.error = errno_from_code(code);
    }
    reply.done = true;
}

void append(std::vector<std::uint8_t>& out, const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    out.insert(out.end(), b, b + n);
}

std::vector<std::uint8_t> build_request(const inet_diag_req_v2& req, std::uint16_t flags,
                                        std::uint32_t seq) {
    nlmsghdr hdr{};
    hdr.nlmsg_len = static_cast<std::uint32_t>(sizeof hdr + sizeof req);
    hdr.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    hdr.nlmsg_flags = flags;
    hdr.nlmsg_seq = seq;
    std::vector<std::uint8_t> out;
    out.reserve(hdr.nlmsg_len);
    append(out, &hdr, sizeof hdr);
    append(out, &req, sizeof req);
    return out;
}

}  // namespace

void parse_diag_datagram(std::span<const std::uint8_t> datagram, std::uint8_t ip_proto,
                         std::uint32_t seq, std::vector<SocketEntry>& out, DiagReply& reply) {
    core::ByteReader r(datagram);
    while (r.remaining() >= kNlHeader && !reply.done) {
        const std::size_t start = r.offset();
        const std::uint32_t len = u32_host(r);
        const std::uint16_t type = u16_host(r);
        r.skip(2);  // flags
        const std::uint32_t msg_seq = u32_host(r);
        r.skip(4);  // sender port id
        if (len < kNlHeader || len - kNlHeader > r.remaining()) {
            ++reply.malformed;  // a broken length: nothing after it can be trusted
            return;
        }
        const auto payload = r.take(len - kNlHeader);
        r.skip(std::min(align4(len) - len, r.remaining()));
        if (msg_seq != seq) {
            ++reply.foreign;
            continue;
        }
        ++reply.messages;
        switch (type) {
            case NLMSG_NOOP: break;
            case NLMSG_DONE: {
                core::ByteReader d(payload);
                const auto code = static_cast<std::int32_t>(u32_host(d));
                if (d.ok() && code < 0) reply.error = errno_from_code(code);
                reply.done = true;
                break;
            }
            case NLMSG_ERROR: parse_error(payload, reply); break;
            case NLMSG_OVERRUN:
                reply.error = ENOBUFS;
                reply.done = true;
                break;
            case SOCK_DIAG_BY_FAMILY: {
                SocketEntry e;
                if (parse_diag_msg(payload, ip_proto, e)) {
                    out.push_back(e);
                } else {
                    ++reply.malformed;
                }
                break;
            }
            default: ++reply.malformed; break;
        }
        if (r.offset() == start) return;  // cannot happen (len >= 16), but never spin
    }
    if (!r.empty() && !reply.done) ++reply.malformed;  // trailing bytes shorter than a header
}

std::vector<std::uint8_t> build_dump_request(std::uint8_t family, std::uint8_t ip_proto,
                                             std::uint32_t states, std::uint32_t seq) {
    inet_diag_req_v2 req{};
    req.sdiag_family = family;
    req.sdiag_protocol = ip_proto;
    req.idiag_states = states;
    return build_request(req, static_cast<std::uint16_t>(NLM_F_REQUEST | NLM_F_DUMP), seq);
}

std::vector<std::uint8_t> build_exact_request(const SocketTuple& tuple, std::uint32_t seq,
                                              bool with_info) {
    const SocketTuple t = normalized(tuple);
    inet_diag_req_v2 req{};
    req.sdiag_family = t.local_ip.is_v4() ? AF_INET : AF_INET6;
    req.sdiag_protocol = t.ip_proto;
    req.idiag_states = kAllStates;
    if (with_info) req.idiag_ext = 1u << (INET_DIAG_INFO - 1);
    req.id.idiag_sport = htons(t.local_port);
    req.id.idiag_dport = htons(t.remote_port);
    // IPv4 addresses go in the first word; the kernel finds both plain IPv4
    // sockets and dual-stack IPv6 ones with IPv4 peers from them.
    std::memcpy(req.id.idiag_src, t.local_ip.bytes.data(), t.local_ip.is_v4() ? 4 : 16);
    std::memcpy(req.id.idiag_dst, t.remote_ip.bytes.data(), t.remote_ip.is_v4() ? 4 : 16);
    req.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
    req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    return build_request(req, NLM_F_REQUEST, seq);
}

// A kernel that never answers must not wedge the attribution thread.
SockDiag::SockDiag() : socket_(NETLINK_SOCK_DIAG, std::chrono::milliseconds(500)) {}

bool SockDiag::transact(std::span<const std::uint8_t> request, std::uint8_t ip_proto,
                        bool is_dump, std::vector<SocketEntry>& out) {
    if (!socket_.send(request)) return false;
    const std::uint32_t seq = seq_;
    DiagReply reply;
    while (!reply.done) {
        const auto datagram = socket_.receive();
        if (datagram.empty()) return false;
        parse_diag_datagram(datagram, ip_proto, seq, out, reply);
        if (reply.malformed != 0) return false;
        // A single lookup answers with one message and no NLMSG_DONE.
        if (!is_dump && reply.messages != 0) break;
    }
    return reply.error == 0;
}

bool SockDiag::dump(std::uint8_t ip_proto, std::uint32_t states, std::vector<SocketEntry>& out) {
    bool ok = true;
    for (const std::uint8_t family : {std::uint8_t{AF_INET}, std::uint8_t{AF_INET6}}) {
        const auto req = build_dump_request(family, ip_proto, states, ++seq_);
        ok = transact(req, ip_proto, true, out) && ok;
    }
    return ok;
}

std::optional<SocketEntry> SockDiag::find_tcp(const SocketTuple& tuple) {
    const auto req = build_exact_request(tuple, ++seq_, true);
    std::vector<SocketEntry> found;
    if (!transact(req, kProtoTcp, false, found) || found.empty()) return std::nullopt;
    return found.front();
}

}  // namespace sockeye::host
