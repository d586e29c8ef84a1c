// Which kernel socket owns a flow: the matching rules, over a table of
// sockets from one sock_diag dump. Pure data, no syscalls, so the rules are
// unit-tested with hand-made socket lists.
//
// Order of preference: exact (full 4-tuple) > listener (TCP LISTEN on the
// local address or a wildcard address) > wildcard (unconnected UDP socket
// on the local port). A more specific bound address beats a wildcard one.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "host/sock_diag.hpp"
#include "host/socket_tuple.hpp"

namespace sockeye::host {

struct SocketMatch {
    const SocketEntry* socket = nullptr;  // null: nothing matched
    snapshot::ProcessMatch kind = snapshot::ProcessMatch::none;
};

class SocketIndex {
public:
    void rebuild(std::vector<SocketEntry> sockets);
    // Adds sockets found by a targeted query (an exact lookup, a fresh
    // listener dump) to the current table.
    void add(const SocketEntry& socket);

    [[nodiscard]] SocketMatch match(const SocketTuple& tuple) const;
    [[nodiscard]] const std::vector<SocketEntry>& sockets() const { return sockets_; }
    [[nodiscard]] std::size_t size() const { return sockets_.size(); }

private:
    void index(std::size_t i);
    [[nodiscard]] SocketMatch match_bound(const SocketTuple& t) const;

    std::vector<SocketEntry> sockets_;
    std::unordered_map<SocketTuple, std::size_t, SocketTupleHash> exact_;
    // (proto << 16 | local port) -> listeners and unconnected UDP sockets.
    std::unordered_multimap<std::uint32_t, std::size_t> bound_;
};

// How well a socket bound to `bound` serves a flow to `local`: 3 same
// address, 2 wildcard of the same family, 1 dual-stack :: for IPv4,
// 0 not at all.
int bound_address_score(const SocketEntry& socket, const core::IpAddress& local);

}  // namespace sockeye::host
