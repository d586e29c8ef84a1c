#include "store/usage_minutes.hpp"

namespace sockeye::store {
namespace {

std::int64_t as_int(std::uint64_t v) {
    return v > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(v);
}

// Floor division: packet times before 1970 are rare but not impossible.
std::int64_t minute_of(std::int64_t ns) {
    constexpr std::int64_t kMinuteNs = 60'000'000'000;
    std::int64_t m = ns / kMinuteNs;
    if (ns % kMinuteNs < 0) --m;
    return m * 60;
}

std::int64_t hour_of(std::int64_t minute) { return minute - ((minute % 3600) + 3600) % 3600; }

struct HourKey {
    std::int64_t hour = 0;
    std::string process_name, container, dpi_protocol, remote_geo_country;
    friend bool operator<(const HourKey& a, const HourKey& b) {
        return std::tie(a.hour, a.process_name, a.container, a.dpi_protocol, a.remote_geo_country) <
               std::tie(b.hour, b.process_name, b.container, b.dpi_protocol, b.remote_geo_country);
    }
};

void bind_counts(Statement& s, int first, const UsageCounts& c) {
    s.bind(first, as_int(c.packets_sent));
    s.bind(first + 1, as_int(c.packets_received));
    s.bind(first + 2, as_int(c.bytes_sent));
    s.bind(first + 3, as_int(c.bytes_received));
    s.bind(first + 4, as_int(c.connections));
}

void add_counts(UsageCounts& to, const UsageCounts& c) {
    to.packets_sent += c.packets_sent;
    to.packets_received += c.packets_received;
    to.bytes_sent += c.bytes_sent;
    to.bytes_received += c.bytes_received;
    to.connections += c.connections;
}

}  // namespace

void UsageBatch::add(const snapshot::FlowRecord& f, const UsageCounts& growth) {
    if (growth.empty()) return;
    UsageKey key;
    key.minute = minute_of(f.last_seen_ns);
    if (f.process) {
        key.process_name = f.process->name;
        key.container = f.process->container;
    }
    if (f.app) key.dpi_protocol = f.app->protocol;
    key.remote_name = f.remote_name;
    if (f.remote_geo) {
        key.remote_geo_country = f.remote_geo->country;
        key.remote_geo_asn = f.remote_geo->asn;
    }
    add_counts(rows_[std::move(key)], growth);
}

const char* UsageBatch::upsert_sql() {
    return "INSERT INTO usage_minutes (minute, process_name, container, dpi_protocol, remote_name, "
           "remote_geo_country, remote_geo_asn, packets_sent, packets_received, bytes_sent, "
           "bytes_received, connections) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
           "ON CONFLICT DO UPDATE SET packets_sent = packets_sent + excluded.packets_sent, "
           "packets_received = packets_received + excluded.packets_received, "
           "bytes_sent = bytes_sent + excluded.bytes_sent, "
           "bytes_received = bytes_received + excluded.bytes_received, "
           "connections = connections + excluded.connections";
}

const char* UsageBatch::hour_upsert_sql() {
    return "INSERT INTO usage_hours (hour, process_name, container, dpi_protocol, remote_geo_country, "
           "packets_sent, packets_received, bytes_sent, bytes_received, connections) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
           "ON CONFLICT DO UPDATE SET packets_sent = packets_sent + excluded.packets_sent, "
           "packets_received = packets_received + excluded.packets_received, "
           "bytes_sent = bytes_sent + excluded.bytes_sent, "
           "bytes_received = bytes_received + excluded.bytes_received, "
           "connections = connections + excluded.connections";
}

core::Result<void> UsageBatch::write(Statement& s, Statement& hours) {
    std::map<HourKey, UsageCounts> by_hour;
    for (const auto& [k, c] : rows_) {
        s.bind(1, k.minute);
        s.bind_static(2, k.process_name);
        s.bind_static(3, k.container);
        s.bind_static(4, k.dpi_protocol);
        s.bind_static(5, k.remote_name);
        s.bind_static(6, k.remote_geo_country);
        s.bind(7, k.remote_geo_asn);
        bind_counts(s, 8, c);
        auto r = s.step("cannot record usage");
        s.rewind();
        if (!r) return std::move(r).error();
        add_counts(by_hour[HourKey{hour_of(k.minute), k.process_name, k.container, k.dpi_protocol,
                                   k.remote_geo_country}],
                   c);
    }
    for (const auto& [k, c] : by_hour) {
        hours.bind(1, k.hour);
        hours.bind_static(2, k.process_name);
        hours.bind_static(3, k.container);
        hours.bind_static(4, k.dpi_protocol);
        hours.bind_static(5, k.remote_geo_country);
        bind_counts(hours, 6, c);
        auto r = hours.step("cannot record usage");
        hours.rewind();
        if (!r) return std::move(r).error();
    }
    rows_.clear();
    return {};
}

}  // namespace sockeye::store
