// The kernel's neighbour table (ARP for IPv4, NDP for IPv6): the link-layer
// address of each peer on a directly attached network, so its hardware
// vendor can be named. Read with an rtnetlink dump (RTM_GETNEIGH), which
// needs no privilege.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/ip_address.hpp"
#include "core/tuple_hash.hpp"
#include "host/netlink_socket.hpp"

namespace sockeye::host {

using LinkAddress = std::array<std::uint8_t, 6>;

struct Neighbour {
    core::IpAddress ip;
    LinkAddress mac{};
};

struct NeighbourReply {
    bool done = false;   // NLMSG_DONE seen: the dump is complete
    int error = 0;       // from an NLMSG_ERROR, as a positive errno
    bool malformed = false;
};

// One datagram of the dump's reply: appends the neighbours with a 6-byte
// link-layer address whose entry is usable (reachable, stale, delay, probe
// or permanent; not incomplete or failed). Messages of other sequence
// numbers are ignored. Never reads past `datagram`.
void parse_neighbour_datagram(std::span<const std::uint8_t> datagram, std::uint32_t seq,
                              std::vector<Neighbour>& out, NeighbourReply& reply);

class NeighbourTable {
public:
    // Opens the netlink socket (before the sandbox: the dumps that follow
    // need no new socket).
    NeighbourTable();
    [[nodiscard]] bool valid() const { return socket_.valid(); }

    // Reads the kernel's whole table anew; false (the old table kept) when
    // the dump failed.
    bool refresh();
    [[nodiscard]] std::optional<LinkAddress> mac_of(const core::IpAddress& ip) const;
    [[nodiscard]] std::size_t size() const { return table_.size(); }

private:
    NetlinkSocket socket_;
    std::uint32_t seq_ = 0;
    std::unordered_map<core::IpAddress, LinkAddress, core::IpAddressHash> table_;
};

}  // namespace sockeye::host
