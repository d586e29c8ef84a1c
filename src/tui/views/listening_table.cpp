#include "tui/views/listening_table.hpp"

#include <algorithm>
#include <tuple>

namespace sockeye::tui {
namespace {

// 0.0.0.0 or :: (or no address at all): the socket takes every address (a
// dual-stack :: also IPv4's).
bool every_address(const core::IpAddress& a) {
    return std::all_of(a.bytes.begin(), a.bytes.end(), [](std::uint8_t b) { return b == 0; });
}

bool serves(const ListeningRow& row, const snapshot::FlowRecord& f) {
    // Live flows are oriented local -> remote: the source is this host's end.
    if (f.ip_proto != row.ip_proto || f.source_port != row.port) return false;
    if (every_address(row.address)) return true;
    return row.address == f.source_ip;
}

}  // namespace

std::vector<ListeningRow> build_listening_table(const snapshot::Snapshot& snap) {
    std::vector<ListeningRow> rows;
    rows.reserve(snap.listening.size());
    for (const auto& s : snap.listening) {
        ListeningRow row;
        row.ip_proto = s.ip_proto;
        row.address = s.address;
        row.port = s.port;
        row.process = s.process;
        rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const ListeningRow& a, const ListeningRow& b) {
        return std::tie(a.ip_proto, a.port, a.address) < std::tie(b.ip_proto, b.port, b.address);
    });
    if (rows.empty()) return rows;
    for (const auto& f : snap.flows) {
        // The most specific socket: a bound address beats the wildcard.
        ListeningRow* best = nullptr;
        for (auto& row : rows) {
            if (!serves(row, f)) continue;
            if (best == nullptr || (every_address(best->address) && !every_address(row.address)))
                best = &row;
        }
        if (best == nullptr) continue;
        best->reached = true;
        best->bytes_in += f.bytes_received;
        best->bytes_out += f.bytes_sent;
        if (f.end_reason == snapshot::EndReason::active) ++best->connections;
    }
    return rows;
}

std::string listening_proto(const ListeningRow& row) {
    switch (row.ip_proto) {
        case 6: return "TCP";
        case 17: return "UDP";
        default: return std::to_string(row.ip_proto);
    }
}

std::string listening_endpoint(const ListeningRow& row) {
    const std::string port = std::to_string(row.port);
    if (every_address(row.address)) return "*:" + port;
    if (row.address.is_v6()) return "[" + row.address.to_string() + "]:" + port;
    return row.address.to_string() + ":" + port;
}

}  // namespace sockeye::tui
