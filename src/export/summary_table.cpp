#include "export/summary_table.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

#include "core/printable_text.hpp"

namespace sockeye::exports {
namespace {

constexpr std::size_t kColumns = 9;
using Row = std::array<std::string, kColumns>;

std::string endpoint(const core::IpAddress& ip, std::uint16_t port, snapshot::FlowProtocol p) {
    const bool has_port = p == snapshot::FlowProtocol::tcp || p == snapshot::FlowProtocol::udp;
    if (!has_port) return ip.to_string();
    if (ip.is_v6()) return "[" + ip.to_string() + "]:" + std::to_string(port);
    return ip.to_string() + ":" + std::to_string(port);
}

std::string milliseconds(std::int64_t ns) {
    if (ns < 0) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(ns) / 1e6);
    return buf;
}

std::string seconds(std::int64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ns) / 1e9);
    return buf;
}

// "TLS example.com", "DNS", or "-" when DPI learnt nothing.
std::string application(const snapshot::FlowRecord& f) {
    if (!f.app || f.app->protocol.empty()) return "-";
    return f.app->domain.empty() ? f.app->protocol : f.app->protocol + " " + f.app->domain;
}

Row flow_row(const snapshot::FlowRecord& f, bool bits) {
    const auto amount = bits ? human_bits : human_bytes;
    return {std::string(snapshot::protocol_name(f.protocol)),
            endpoint(f.source_ip, f.source_port, f.protocol),
            endpoint(f.destination_ip, f.destination_port, f.protocol),
            std::string(snapshot::state_name(f.state)),
            application(f),
            std::to_string(f.packets_sent) + "/" + std::to_string(f.packets_received),
            amount(f.bytes_sent) + "/" + amount(f.bytes_received),
            milliseconds(snapshot::display_rtt_ns(f)),
            seconds(f.last_seen_ns - f.first_seen_ns)};
}

// Columns a cell of valid UTF-8 takes, one per code point (wide characters
// aside: the table is for logs and pipes, not a cell grid).
std::size_t columns(const std::string& cell) {
    std::size_t n = 0;
    for (const char c : cell)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;  // not a continuation byte
    return n;
}

void append_table(std::string& out, std::vector<Row>& rows) {
    // Names come off the wire (SNI, Host, DNS): no control may reach the
    // terminal, and the cells are valid UTF-8 afterwards.
    for (auto& row : rows)
        for (auto& cell : row) cell = core::printable_text(cell);
    std::array<std::size_t, kColumns> width{};
    for (const auto& row : rows)
        for (std::size_t c = 0; c < kColumns; ++c) width[c] = std::max(width[c], columns(row[c]));
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < kColumns; ++c) {
            // Counts right-aligned, text left-aligned.
            const bool numeric = c >= 5;
            const std::string pad(width[c] - columns(row[c]), ' ');
            line += numeric ? pad + row[c] : row[c] + pad;
            if (c + 1 < kColumns) line += "  ";
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line;
        out += '\n';
    }
}

}  // namespace

std::string human_bytes(std::uint64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " B";
    static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = static_cast<double>(bytes) / 1024.0;
    std::size_t unit = 0;
    while (v >= 1024.0 && unit + 1 < std::size(kUnits)) {
        v /= 1024.0;
        ++unit;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit]);
    return buf;
}

std::string human_bits(std::uint64_t bytes) {
    const double bits = static_cast<double>(bytes) * 8.0;
    if (bits < 1000.0) return std::to_string(bytes * 8) + " b";
    static constexpr const char* kUnits[] = {"kb", "Mb", "Gb", "Tb", "Pb", "Eb"};
    double v = bits / 1000.0;
    std::size_t unit = 0;
    while (v >= 1000.0 && unit + 1 < std::size(kUnits)) {
        v /= 1000.0;
        ++unit;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit]);
    return buf;
}

std::string summary_table(const snapshot::Snapshot& snap, bool bits) {
    const auto amount = bits ? human_bits : human_bytes;
    const auto& c = snap.counters;
    std::string out = core::printable_text(snap.source.name) + " (" +
                      core::printable_text(snap.source.link_type) + "): " +
                      std::to_string(c.packets) + " packets, " + amount(c.bytes) + ", " +
                      std::to_string(c.flows) + " flows (" + std::to_string(c.active_flows) +
                      " active), " + std::to_string(c.evictions) + " evictions" +
                      (snap.source.complete ? "" : ", capture truncated") + "\n\n";

    std::vector<const snapshot::FlowRecord*> order;
    order.reserve(snap.flows.size());
    for (const auto& f : snap.flows) order.push_back(&f);
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
        return a->bytes_sent + a->bytes_received > b->bytes_sent + b->bytes_received;
    });

    std::vector<Row> rows;
    rows.reserve(order.size() + 1);
    rows.push_back({"PROTO", "SOURCE", "DESTINATION", "STATE", "APPLICATION", "PACKETS >/<",
                    bits ? "BITS >/<" : "BYTES >/<", "RTT", "DURATION"});
    for (const auto* f : order) rows.push_back(flow_row(*f, bits));
    append_table(out, rows);

    if (!snap.anomalies.empty()) {
        out += "\nanomalies:";
        for (const auto& [kind, count] : snap.anomalies)
            out += " " + core::printable_text(kind) + "=" + std::to_string(count);
        out += '\n';
    }
    return out;
}

}  // namespace sockeye::exports
