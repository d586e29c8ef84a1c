// What deep packet inspection learned about a flow's application protocol:
// a protocol name, the domain a person cares about, and named fields. Plain
// values, so the JSON export and the terminal UI can show any protocol
// without knowing it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_address.hpp"

namespace sockeye::snapshot {

// The connection whose content announced a flow (FTP's control connection,
// for the data connections it sets up), by its two TCP endpoints in either
// order. The flow takes that connection's process when it has none of its own.
struct Announcer {
    core::IpAddress ip_a{}, ip_b{};
    std::uint16_t port_a = 0, port_b = 0;
    friend bool operator==(const Announcer&, const Announcer&) = default;
};

struct AppField {
    enum class Kind : std::uint8_t { text, number, list };
    std::string name;   // snake_case, e.g. "sni", "alpn", "status"
    Kind kind = Kind::text;
    std::string text;                 // Kind::text
    std::int64_t number = 0;          // Kind::number
    std::vector<std::string> list;    // Kind::list
};

struct AppInfo {
    std::string protocol;  // "TLS", "QUIC", "HTTP", "DNS", "SSH", ... (empty: unknown)
    std::string domain;    // TLS SNI, HTTP Host or DNS query name; may be empty
    std::vector<AppField> fields;  // in insertion order; names unique
    std::optional<Announcer> announced_by;  // set on expected connections (FTP-DATA)

    // Sets (or replaces) a field.
    void set_text(std::string_view name, std::string_view value);
    void set_number(std::string_view name, std::int64_t value);
    void set_list(std::string_view name, std::vector<std::string> values);
    // Appends to a list field, creating it; bounded by `max_items` so hostile
    // traffic cannot grow a flow's record without limit.
    void add_to_list(std::string_view name, std::string_view value, std::size_t max_items = 32);
    [[nodiscard]] const AppField* find(std::string_view name) const;
};

}  // namespace sockeye::snapshot
