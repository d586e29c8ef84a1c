// Socket owners from the kernel: NETLINK_SOCK_DIAG (inet_diag_req_v2) dumps
// and exact lookups of TCP and UDP sockets, IPv4 and IPv6.
//
// The reply parser is a pure function over the datagram bytes so it can be
// tested and fuzzed without a kernel; netlink is host-endian, the socket id's
// ports and addresses are network order.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/ip_address.hpp"
#include "host/netlink_socket.hpp"
#include "host/socket_tuple.hpp"

namespace sockeye::host {

// Kernel TCP state numbers (include/net/tcp_states.h); UDP reports
// established (connected) or close (unconnected).
inline constexpr std::uint8_t kTcpEstablished = 1;
inline constexpr std::uint8_t kTcpTimeWait = 6;
inline constexpr std::uint8_t kTcpClose = 7;
inline constexpr std::uint8_t kTcpListen = 10;
inline constexpr std::uint32_t kAllStates = 0xffffffffu;

struct SocketEntry {
    std::uint8_t ip_proto = 0;
    std::uint8_t family = 0;   // the socket's own family: 4 or 6
    std::uint8_t state = 0;    // kernel state number (see above)
    bool v6only = false;       // IPv6 socket that refuses IPv4 (IPV6_V6ONLY)
    // Addresses are unmapped (::ffff:a.b.c.d -> a.b.c.d) so they compare
    // equal to what the packet path sees.
    core::IpAddress local_ip;
    std::uint16_t local_port = 0;
    core::IpAddress remote_ip;
    std::uint16_t remote_port = 0;
    std::uint32_t uid = 0;
    std::uint64_t inode = 0;   // 0: no open file (TIME_WAIT, orphaned, half-open)
    // The kernel's smoothed RTT of a TCP socket (tcp_info), in microseconds;
    // -1 when the reply carried no INET_DIAG_INFO (not asked for, or not TCP).
    std::int64_t kernel_srtt_us = -1;
};

// What one reply datagram said besides its sockets.
struct DiagReply {
    bool done = false;           // NLMSG_DONE, or the answer to a single lookup
    int error = 0;               // errno from NLMSG_ERROR (0: none or an ACK)
    std::uint32_t messages = 0;  // netlink messages with our sequence number
    std::uint32_t malformed = 0; // messages too short/long, or bad families
    std::uint32_t foreign = 0;   // messages with another sequence number (stale)
};

// Appends every socket in `datagram` (one recv() of a sock_diag reply) to
// `out`. Never reads outside the span; stops at the first broken header.
void parse_diag_datagram(std::span<const std::uint8_t> datagram, std::uint8_t ip_proto,
                         std::uint32_t seq, std::vector<SocketEntry>& out, DiagReply& reply);

// Request messages (exposed for tests): a dump of every socket of `ip_proto`
// in `family` (AF_INET/AF_INET6) whose state bit is set in `states`, and a
// lookup of one TCP socket by its exact tuple (`with_info`: with its
// tcp_info, for the kernel's RTT).
std::vector<std::uint8_t> build_dump_request(std::uint8_t family, std::uint8_t ip_proto,
                                             std::uint32_t states, std::uint32_t seq);
std::vector<std::uint8_t> build_exact_request(const SocketTuple& tuple, std::uint32_t seq,
                                              bool with_info = false);

class SockDiag {
public:
    SockDiag();  // opens the netlink socket; see valid()/open_error()
    [[nodiscard]] bool valid() const { return socket_.valid(); }
    [[nodiscard]] int open_error() const { return socket_.open_error(); }

    // Every `ip_proto` socket of both families with a state bit in `states`,
    // appended to `out`. False when the kernel could not be asked.
    bool dump(std::uint8_t ip_proto, std::uint32_t states, std::vector<SocketEntry>& out);
    // The one TCP socket with exactly this tuple (a kernel hash lookup, no
    // dump), IPv4 peers of dual-stack sockets included, with the kernel's
    // RTT estimate for it.
    std::optional<SocketEntry> find_tcp(const SocketTuple& tuple);

private:
    bool transact(std::span<const std::uint8_t> request, std::uint8_t ip_proto, bool is_dump,
                  std::vector<SocketEntry>& out);

    NetlinkSocket socket_;
    std::uint32_t seq_ = 0;
};

}  // namespace sockeye::host
