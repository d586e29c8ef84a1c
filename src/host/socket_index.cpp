#include "host/socket_index.hpp"

#include <utility>

namespace sockeye::host {
namespace {

std::uint32_t port_key(std::uint8_t proto, std::uint16_t port) {
    return (std::uint32_t{proto} << 16) | port;
}

bool is_unconnected(const SocketEntry& s) {
    return s.remote_port == 0 && (is_any_address(s.remote_ip) || s.remote_ip.family == core::IpFamily::none);
}

// Sockets that serve many peers: TCP listeners and unconnected UDP sockets.
bool is_bound_only(const SocketEntry& s) {
    if (s.ip_proto == kProtoTcp) return s.state == kTcpListen;
    return s.ip_proto == kProtoUdp && is_unconnected(s);
}

SocketTuple tuple_of(const SocketEntry& s) {
    return SocketTuple{s.ip_proto, s.local_ip, s.local_port, s.remote_ip, s.remote_port};
}

}  // namespace

int bound_address_score(const SocketEntry& socket, const core::IpAddress& local) {
    const core::IpAddress want = unmap_v4(local);
    if (socket.local_ip == want) return 3;
    if (!is_any_address(socket.local_ip)) return 0;
    if (socket.local_ip.family == want.family) return 2;
    // "::" on a dual-stack socket also accepts IPv4.
    if (socket.local_ip.is_v6() && want.is_v4() && !socket.v6only) return 1;
    return 0;
}

void SocketIndex::rebuild(std::vector<SocketEntry> sockets) {
    sockets_ = std::move(sockets);
    exact_.clear();
    bound_.clear();
    exact_.reserve(sockets_.size());
    for (std::size_t i = 0; i < sockets_.size(); ++i) index(i);
}

void SocketIndex::add(const SocketEntry& socket) {
    sockets_.push_back(socket);
    index(sockets_.size() - 1);
}

void SocketIndex::index(std::size_t i) {
    const SocketEntry& s = sockets_[i];
    if (is_bound_only(s)) {
        bound_.emplace(port_key(s.ip_proto, s.local_port), i);
        return;
    }
    // Several entries can share a tuple (TIME_WAIT next to a live socket):
    // the one with an open file wins.
    auto [it, inserted] = exact_.try_emplace(tuple_of(s), i);
    if (!inserted && sockets_[it->second].inode == 0 && s.inode != 0) it->second = i;
}

SocketMatch SocketIndex::match_bound(const SocketTuple& t) const {
    SocketMatch best;
    int best_score = 0;
    const auto range = bound_.equal_range(port_key(t.ip_proto, t.local_port));
    for (auto it = range.first; it != range.second; ++it) {
        const SocketEntry& s = sockets_[it->second];
        const int score = bound_address_score(s, t.local_ip);
        // Equal scores: prefer a socket with an open file.
        if (score > best_score || (score == best_score && score > 0 && best.socket != nullptr &&
                                   best.socket->inode == 0 && s.inode != 0)) {
            best_score = score;
            best.socket = &s;
        }
    }
    if (best.socket != nullptr) {
        best.kind = t.ip_proto == kProtoTcp ? snapshot::ProcessMatch::listener
                                            : snapshot::ProcessMatch::wildcard;
    }
    return best;
}

SocketMatch SocketIndex::match(const SocketTuple& tuple) const {
    const SocketTuple t = normalized(tuple);
    SocketMatch exact;
    if (const auto it = exact_.find(t); it != exact_.end()) {
        exact.socket = &sockets_[it->second];
        exact.kind = snapshot::ProcessMatch::exact;
        if (exact.socket->inode != 0) return exact;
    }
    // A half-open or closed exact socket has no owner to name; the listener
    // or bound UDP socket on the port is the next best answer.
    const SocketMatch bound = match_bound(t);
    if (bound.socket != nullptr) return bound;
    return exact;
}

}  // namespace sockeye::host
