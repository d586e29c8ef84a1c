#include "store/history.hpp"

namespace sockeye::store {

core::Result<void> read_history(Db& db, const HistoryQuery& query,
                                const std::function<bool(const StoredFlow&)>& each) {
    auto select = db.prepare(connection_select_sql() +
                             " WHERE last_seen >= ?1 ORDER BY first_seen DESC, id DESC");
    if (!select) return std::move(select).error();
    select->bind(1, query.since_ns);
    FlowRowReader reader(db);
    for (;;) {
        auto row = select->step("cannot read the history");
        if (!row) return std::move(row).error();
        if (!*row) return {};
        auto flow = reader.read(*select);
        if (!flow) return std::move(flow).error();
        if (query.keep && !query.keep(flow->flow)) continue;
        if (!each(*flow)) return {};
    }
}

}  // namespace sockeye::store
