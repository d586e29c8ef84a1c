// The Listening tab's rows: the host's listening sockets (TCP in LISTEN,
// UDP bound without a peer; read live by process attribution), each with
// its process and the traffic that reached it in this snapshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "snapshot/snapshot.hpp"

namespace sockeye::tui {

struct ListeningRow {
    std::uint8_t ip_proto = 0;
    core::IpAddress address{};  // unspecified: every address
    std::uint16_t port = 0;
    std::shared_ptr<const snapshot::ProcessInfo> process;  // null: unknown
    // Connections to it now (active flows whose local end is the socket's)
    // and the bytes of every flow to it in the snapshot.
    std::size_t connections = 0;
    std::uint64_t bytes_in = 0, bytes_out = 0;
    bool reached = false;  // any flow to it at all
};

// Sorted by protocol, then port, then address. A flow is counted for the
// most specific socket on its port (the same address before a wildcard).
std::vector<ListeningRow> build_listening_table(const snapshot::Snapshot& snap);

// "TCP", "UDP"; "*:8080", "127.0.0.1:53", "[::1]:631".
std::string listening_proto(const ListeningRow& row);
std::string listening_endpoint(const ListeningRow& row);

}  // namespace sockeye::tui
