// Per-minute usage: the bytes and packets each (process, container,
// application, remote name, country, AS) moved in each minute, the rows
// `usage_minutes` holds for reports; and the same per hour without the
// remote's name and AS, in `usage_hours` (schema.cpp says why). A flow's growth since it was last
// recorded counts in the minute of its last packet (packet time, so a
// capture file's history lands where its packets are).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "core/result.hpp"
#include "snapshot/flow_record.hpp"
#include "store/sqlite_db.hpp"

namespace sockeye::store {

struct UsageKey {
    std::int64_t minute = 0;  // Unix seconds of the minute's start
    std::string process_name, container, dpi_protocol, remote_name, remote_geo_country;
    std::int64_t remote_geo_asn = 0;
    friend bool operator<(const UsageKey& a, const UsageKey& b) {
        return std::tie(a.minute, a.process_name, a.container, a.dpi_protocol, a.remote_name,
                        a.remote_geo_country, a.remote_geo_asn) <
               std::tie(b.minute, b.process_name, b.container, b.dpi_protocol, b.remote_name,
                        b.remote_geo_country, b.remote_geo_asn);
    }
};

struct UsageCounts {
    std::uint64_t packets_sent = 0, packets_received = 0, bytes_sent = 0, bytes_received = 0;
    // Connections first written in it (schema version 2).
    std::uint64_t connections = 0;
    [[nodiscard]] bool empty() const {
        return packets_sent == 0 && packets_received == 0 && bytes_sent == 0 && bytes_received == 0 &&
               connections == 0;
    }
};

// The usage of one batch, added to the rows at the end of it.
class UsageBatch {
public:
    // `growth`: what the flow moved since it was last recorded, and
    // connections = 1 at its first write.
    void add(const snapshot::FlowRecord& flow, const UsageCounts& growth);
    // Adds every row to both tables (inside the caller's transaction) and
    // empties the batch.
    core::Result<void> write(Statement& minute_upsert, Statement& hour_upsert);
    [[nodiscard]] bool empty() const { return rows_.empty(); }

    static const char* upsert_sql();
    static const char* hour_upsert_sql();

private:
    std::map<UsageKey, UsageCounts> rows_;
};

}  // namespace sockeye::store
