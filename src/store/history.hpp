// Reading the connections back, newest first: what `sockeye history` lists.
// One SELECT, so the reader sees one consistent state of the file while a
// recorder goes on writing (WAL).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>

#include "snapshot/flow_record.hpp"

#include "core/result.hpp"
#include "store/flow_row.hpp"
#include "store/sqlite_db.hpp"

namespace sockeye::store {

struct HistoryQuery {
    // Connections whose last packet is at or after this (ns since the epoch).
    std::int64_t since_ns = std::numeric_limits<std::int64_t>::min();
    // Only the connections it keeps (a --filter); empty: every one.
    std::function<bool(const snapshot::FlowRecord&)> keep;
};

// Calls `each` for every connection the query selects, by first packet,
// newest first; `each` returns false to stop early.
core::Result<void> read_history(Db& db, const HistoryQuery& query,
                                const std::function<bool(const StoredFlow&)>& each);

}  // namespace sockeye::store
