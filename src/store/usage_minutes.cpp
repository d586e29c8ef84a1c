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
    UsageCounts& c = rows_[std::move(key)];
    c.packets_sent += growth.packets_sent;
    c.packets_received += growth.packets_received;
    c.bytes_sent += growth.bytes_sent;
    c.bytes_received += growth.bytes_received;
}

const char* UsageBatch::upsert_sql() {
    return "INSERT INTO usage_minutes (minute, process_name, container, dpi_protocol, remote_name, "
           "remote_geo_country, remote_geo_asn, packets_sent, packets_received, bytes_sent, "
           "bytes_received) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
           "ON CONFLICT DO UPDATE SET packets_sent = packets_sent + excluded.packets_sent, "
           "packets_received = packets_received + excluded.packets_received, "
           "bytes_sent = bytes_sent + excluded.bytes_sent, "
           "bytes_received = bytes_received + excluded.bytes_received";
}

core::Result<void> UsageBatch::write(Db& /*db*/, Statement& s) {
    for (const auto& [k, c] : rows_) {
        s.bind(1, k.minute);
        s.bind(2, k.process_name);
        s.bind(3, k.container);
        s.bind(4, k.dpi_protocol);
        s.bind(5, k.remote_name);
        s.bind(6, k.remote_geo_country);
        s.bind(7, k.remote_geo_asn);
        s.bind(8, as_int(c.packets_sent));
        s.bind(9, as_int(c.packets_received));
        s.bind(10, as_int(c.bytes_sent));
        s.bind(11, as_int(c.bytes_received));
        auto r = s.step("cannot record usage");
        s.reset();
        if (!r) return std::move(r).error();
    }
    rows_.clear();
    return {};
}

}  // namespace sockeye::store
