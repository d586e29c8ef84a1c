#include "tui/views/process_table.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "tui/format.hpp"
#include "tui/views/connection_table.hpp"

namespace sockeye::tui {
namespace {

struct ProcessColumnInfo {
    std::string_view title;
    bool numeric;
};

constexpr std::array<ProcessColumnInfo, kProcessColumnCount> kProcessColumns{{
    {"Process", false},
    {"PID", true},
    {"User", false},
    {"Down", true},
    {"Up", true},
    {"Peak down", true},
    {"Peak up", true},
    {"Total down", true},
    {"Total up", true},
    {"Conns", true},
    {"Top peers", false},
}};

using BytesBy = std::map<std::string, std::uint64_t>;

struct Accumulator {
    ProcessRow row;
    BytesBy peer_bytes, country_bytes, network_bytes;
    BytesBy member_bytes;  // by container: "name (pid)"
};

// The `n` keys with the most bytes; equal counts by name so the order is stable.
std::vector<std::string> top_by_bytes(const BytesBy& bytes, std::size_t n) {
    std::vector<std::pair<std::string, std::uint64_t>> all(bytes.begin(), bytes.end());
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < all.size() && i < n; ++i) out.push_back(std::move(all[i].first));
    return out;
}

double number_of(const ProcessRow& r, ProcessColumn c, ProcessGrouping g, bool totals) {
    if (totals && c == ProcessColumn::down) return static_cast<double>(r.total_down);
    if (totals && c == ProcessColumn::up) return static_cast<double>(r.total_up);
    switch (c) {
        case ProcessColumn::pid:
            if (g != ProcessGrouping::process) return static_cast<double>(r.process_count);
            return r.process ? r.process->pid : -1;
        case ProcessColumn::down: return r.down;
        case ProcessColumn::up: return r.up;
        case ProcessColumn::peak_down: return r.peak.down;
        case ProcessColumn::peak_up: return r.peak.up;
        case ProcessColumn::total_down: return static_cast<double>(r.total_down);
        case ProcessColumn::total_up: return static_cast<double>(r.total_up);
        case ProcessColumn::connections: return static_cast<double>(r.connections);
        default: return 0;
    }
}

std::string text_of(const ProcessRow& r, ProcessColumn c, ProcessGrouping g) {
    switch (c) {
        case ProcessColumn::name: return r.label;
        case ProcessColumn::user:
            if (g == ProcessGrouping::container) return r.process ? r.process->container_image : "";
            if (g == ProcessGrouping::remote_host) return r.top_countries.empty() ? "" : r.top_countries.front();
            return r.process ? r.process->user : "";
        case ProcessColumn::peers: return r.top_peers.empty() ? "" : r.top_peers.front();
        default: return "";
    }
}

// Rates of active flows, totals of all, active connections.
void add_traffic(ProcessRow& row, const snapshot::FlowRecord& f) {
    if (f.end_reason == snapshot::EndReason::active) {
        row.down += f.received_bytes_per_s;
        row.up += f.sent_bytes_per_s;
        ++row.connections;
    }
    row.total_down += f.bytes_received;
    row.total_up += f.bytes_sent;
}

// By remote host: one row per remote address, named as the overview names
// it, its programs as members (the flows' owners, unattributed ones as
// "unknown (...)"), its own country and network.
void add_to_host(std::map<std::string, Accumulator>& by_key, const snapshot::FlowRecord& f,
                 bool show_names) {
    auto key = remote_host_key(f);
    auto& acc = by_key[key];
    if (acc.row.key.empty()) {
        acc.row.key = std::move(key);
        acc.row.label = f.destination_ip.to_string();
    }
    // A name may arrive after the first flows to the address.
    if (show_names && !f.remote_name.empty()) acc.row.label = f.remote_name;
    const std::uint64_t bytes = f.bytes_sent + f.bytes_received;
    acc.member_bytes[process_label(f)] += bytes;
    add_traffic(acc.row, f);
    if (const snapshot::GeoInfo* g = f.remote_geo.get(); g != nullptr) {
        if (const std::string country = format_country(*g); !country.empty())
            acc.country_bytes[country] += bytes;
        if (const std::string network = format_network(*g); !network.empty())
            acc.network_bytes[network] += bytes;
    }
}

}  // namespace

std::string_view process_column_title(ProcessColumn c, ProcessGrouping grouping) {
    if (grouping == ProcessGrouping::program) {
        if (c == ProcessColumn::name) return "Program";
        if (c == ProcessColumn::pid) return "Procs";
    }
    if (grouping == ProcessGrouping::container) {
        if (c == ProcessColumn::name) return "Container";
        if (c == ProcessColumn::pid) return "Procs";
        if (c == ProcessColumn::user) return "Image";
    }
    if (grouping == ProcessGrouping::remote_host) {
        if (c == ProcessColumn::name) return "Remote";
        if (c == ProcessColumn::pid) return "Progs";
        if (c == ProcessColumn::user) return "Country";
        if (c == ProcessColumn::peers) return "Programs";
    }
    return kProcessColumns[static_cast<std::size_t>(c)].title;
}
bool process_column_is_numeric(ProcessColumn c) {
    return kProcessColumns[static_cast<std::size_t>(c)].numeric;
}

std::vector<ProcessRow> build_process_table(const snapshot::Snapshot& snap,
                                            const ProcessTableOptions& o) {
    std::map<std::string, Accumulator> by_key;
    for (const auto& f : snap.flows) {
        if (!flow_visible(f, o.table.show_ended, o.table.cleared_at_ns)) continue;
        if (o.filter != nullptr && !o.filter->matches_at(f, snap.ts_ns)) continue;
        if (o.grouping == ProcessGrouping::remote_host) {
            add_to_host(by_key, f, o.table.show_names);
            continue;
        }
        const bool by_container = o.grouping == ProcessGrouping::container;
        const bool by_process = o.grouping == ProcessGrouping::process;
        auto key = by_container ? container_key(f) : by_process ? process_key(f) : program_key(f);
        auto& acc = by_key[key];
        if (acc.row.key.empty()) {
            acc.row.key = std::move(key);
            acc.row.label = by_container ? container_label(f) : process_label(f);
            if (!by_container || (f.process && in_container(*f.process))) acc.row.process = f.process;
        }
        if (!by_process && f.process) {
            acc.member_bytes[f.process->name + " (" + std::to_string(f.process->pid) + ")"] +=
                f.bytes_sent + f.bytes_received;
        }
        add_traffic(acc.row, f);
        const std::string peer = o.table.show_names && !f.remote_name.empty()
                                     ? f.remote_name
                                     : f.destination_ip.to_string();
        const std::uint64_t bytes = f.bytes_sent + f.bytes_received;
        acc.peer_bytes[peer] += bytes;
        if (const snapshot::GeoInfo* g = f.remote_geo.get(); g != nullptr && g->scope == core::AddressScope::public_) {
            if (!g->country.empty()) acc.country_bytes[g->country] += bytes;
            if (const std::string network = format_network(*g); !network.empty())
                acc.network_bytes[network] += bytes;
        }
    }
    std::vector<ProcessRow> rows;
    rows.reserve(by_key.size());
    for (auto& [key, acc] : by_key) {
        if (o.history != nullptr) acc.row.peak = o.history->peak(key);
        if (o.grouping == ProcessGrouping::remote_host) {
            acc.row.top_peers = top_by_bytes(acc.member_bytes, 3);
        } else {
            acc.row.top_peers = top_by_bytes(acc.peer_bytes, 3);
        }
        acc.row.top_countries = top_by_bytes(acc.country_bytes, 3);
        acc.row.top_networks = top_by_bytes(acc.network_bytes, 3);
        acc.row.process_count = acc.member_bytes.size();
        acc.row.members = top_by_bytes(acc.member_bytes, acc.member_bytes.size());
        rows.push_back(std::move(acc.row));
    }
    const ProcessColumn col = o.sort;
    const bool numeric = process_column_is_numeric(col);
    const auto before = [&](const ProcessRow& a, const ProcessRow& b) {
        int cmp = 0;
        if (numeric) {
            const double x = number_of(a, col, o.grouping, o.table.totals);
            const double y = number_of(b, col, o.grouping, o.table.totals);
            if (x != y) cmp = x > y ? -1 : 1;
        } else {
            const int c = text_of(a, col, o.grouping).compare(text_of(b, col, o.grouping));
            cmp = c < 0 ? -1 : (c > 0 ? 1 : 0);
        }
        if (cmp != 0) return o.sort_reverse ? cmp > 0 : cmp < 0;
        return a.key < b.key;
    };
    std::sort(rows.begin(), rows.end(), before);
    if (o.grouping != ProcessGrouping::program || o.expanded == nullptr || o.expanded->empty()) return rows;

    // Open programs: their processes, sorted the same way, below them.
    ProcessTableOptions per_process = o;
    per_process.grouping = ProcessGrouping::process;
    per_process.expanded = nullptr;
    std::map<std::string, std::vector<ProcessRow>> members;
    for (auto& row : build_process_table(snap, per_process)) {
        if (!row.process) continue;
        std::string program = "prog:" + row.label;
        if (o.expanded->count(program) == 0) continue;
        row.member = true;
        members[std::move(program)].push_back(std::move(row));
    }
    std::vector<ProcessRow> out;
    out.reserve(rows.size());
    for (auto& row : rows) {
        const auto it = members.find(row.key);
        row.expanded = it != members.end();
        out.push_back(std::move(row));
        if (it == members.end()) continue;
        for (auto& member : it->second) out.push_back(std::move(member));
    }
    return out;
}

}  // namespace sockeye::tui
