// JSON Lines output of a snapshot: one object per flow, then one summary
// object. Field names follow the reference tool so existing jq scripts work;
// every field is documented in README.md ("JSON output").
#pragma once

#include <string>

#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

// Which optional groups of keys a line carries. Within one output every line
// has the same keys (nulls where unknown).
struct FlowJsonOptions {
    bool process = false;  // live capture with attribution: pid, process_name, ...
};

// Appends one line (with '\n') describing `flow`.
void append_flow_json(std::string& out, const snapshot::FlowRecord& flow,
                      FlowJsonOptions options = {});
// Appends the closing summary line.
void append_summary_json(std::string& out, const snapshot::Snapshot& snap);
// Every flow line then the summary line.
std::string snapshot_to_jsonl(const snapshot::Snapshot& snap);

}  // namespace sockeye::exports
