// One row of `connections` <-> one snapshot::FlowRecord: the columns are the
// --json flow keys (schema.cpp), so a flow read back prints the line
// `--json` printed for it (exports::append_flow_json).
#pragma once

#include <string>

#include "core/result.hpp"
#include "snapshot/flow_record.hpp"
#include "store/sqlite_db.hpp"

namespace sockeye::store {

// A flow as the store keeps it.
struct StoredFlow {
    snapshot::FlowRecord flow;
    // Process attribution was on when it was recorded: its --json line
    // carries the process keys (pid, process_name, ...).
    bool attributed = false;
};

// INSERT ... ON CONFLICT (the flow's identity) DO UPDATE: the first write
// of a flow adds its row, later ones (an open flow's new counts, its end)
// replace the values.
std::string connection_upsert_sql();
// The texts bind_flow() makes (addresses, DPI object, MAC): bound without
// a copy, so they live here until the statement's step.
struct FlowTexts {
    std::string source_ip, destination_ip, dpi, mac;
};
// Binds every parameter; the flow's own strings and `texts` must stay as
// they are until the step is done.
void bind_flow(Statement& upsert, const snapshot::FlowRecord& flow, bool attributed, FlowTexts& texts);

// SELECT <every column> FROM connections (append WHERE / ORDER BY), for
// FlowRowReader.
std::string connection_select_sql();

// Turns the rows of connection_select_sql() back into flows; the DPI object
// is read back through SQLite's own JSON functions (json_each).
class FlowRowReader {
public:
    explicit FlowRowReader(Db& db) : db_(db) {}
    core::Result<StoredFlow> read(const Statement& row);

private:
    Db& db_;
    Statement each_;  // SELECT key, type, value FROM json_each(?1)
    Statement items_; // the same, for the elements of a list field
};

}  // namespace sockeye::store
