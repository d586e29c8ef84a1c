// Netfilter's connection tracking, read through ctnetlink (read-only, one
// exact lookup per question): where a flow seen on this host's wire after
// NAT came from. A container behind the default Docker/Podman bridge reaches
// other hosts with its source rewritten to one of the host's addresses
// (MASQUERADE), and a published port forwards to a container (DNAT); either
// way the socket that owns the flow lives in the container's network
// namespace under the untranslated tuple, which only conntrack still knows.
// Asking needs cap_net_admin, which live capture keeps for attribution.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/ip_address.hpp"
#include "host/netlink_socket.hpp"
#include "host/socket_tuple.hpp"

namespace sockeye::host {

// One direction of a tracked connection, as the kernel keys it.
struct ConntrackTuple {
    std::uint8_t ip_proto = 0;
    core::IpAddress source;
    std::uint16_t source_port = 0;
    core::IpAddress destination;
    std::uint16_t destination_port = 0;
    friend bool operator==(const ConntrackTuple&, const ConntrackTuple&) = default;
};

// A tracked connection: the tuple its first packet had, and the one its
// replies carry (the original's reverse unless NAT rewrote it).
struct ConntrackEntry {
    ConntrackTuple original;
    ConntrackTuple reply;
};

struct ConntrackReply {
    std::optional<ConntrackEntry> entry;
    int error = 0;           // from an NLMSG_ERROR, positive errno (ENOENT: not tracked)
    bool malformed = false;
};

// Which direction a lookup names.
enum class ConntrackKey : std::uint8_t { original, reply };

// IPCTNL_MSG_CT_GET for the connection whose `key` direction is `tuple`.
std::vector<std::uint8_t> build_conntrack_get(const ConntrackTuple& tuple, ConntrackKey key, std::uint32_t seq);
// One datagram of the answer: the first IPCTNL_MSG_CT_NEW message of
// sequence `seq` with both directions and ports (TCP, UDP and other port
// protocols), or its error. Never reads past `datagram`.
ConntrackReply parse_conntrack_datagram(std::span<const std::uint8_t> datagram, std::uint32_t seq);

// For a flow seen local -> remote on this host's wire: the socket tuple
// (local side first) that owns it when NAT translated it, else nothing.
// Source NAT: the flow's local end is the translated source, and the
// original sender is the owner. Destination NAT: the flow's local end is
// the address the remote connected to, and the reply's sender is the owner.
std::optional<SocketTuple> untranslated_owner(const SocketTuple& seen, const ConntrackEntry& entry);

class ConntrackClient {
public:
    ConntrackClient();  // opens the socket (before the sandbox)
    [[nodiscard]] bool valid() const { return socket_.valid(); }

    // The owning socket's tuple of a flow NAT translated (see
    // untranslated_owner); nothing when it was not, is not tracked, or
    // the kernel would not say. After the kernel has refused once
    // (no conntrack, no permission), answers nothing without asking.
    std::optional<SocketTuple> owner_of(const SocketTuple& seen);
    [[nodiscard]] std::uint64_t queries() const { return queries_; }
    [[nodiscard]] int refused() const { return refused_; }  // errno that turned it off; 0: on

private:
    std::optional<ConntrackEntry> get(const ConntrackTuple& tuple, ConntrackKey key);

    NetlinkSocket socket_;
    std::uint32_t seq_ = 0;
    std::uint64_t queries_ = 0;
    int refused_ = 0;
};

}  // namespace sockeye::host
