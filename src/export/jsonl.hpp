// JSON Lines output of a snapshot: one object per flow, then one summary
// object. Field names follow the reference tool so existing jq scripts work;
// every field is documented in README.md ("JSON output").
#pragma once

#include <cstdio>
#include <string>

#include "export/json.hpp"
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
// "remote_geo": {scope, country, city, asn, organisation}: where the remote
// address is, null where the databases do not say. Flow lines and
// connection events carry it when geo databases are loaded.
void append_geo_json(JsonObject& obj, const snapshot::GeoInfo& geo);
// Appends the closing summary line.
void append_summary_json(std::string& out, const snapshot::Snapshot& snap);
// Every flow line then the summary line.
std::string snapshot_to_jsonl(const snapshot::Snapshot& snap);

// The same output streamed to a file in chunks, flow by flow, so a million
// flows never sit in memory as text.
class JsonlStream {
public:
    JsonlStream(std::FILE* out, FlowJsonOptions options) : out_(out), options_(options) {}
    void flow(const snapshot::FlowRecord& flow);
    // The summary line, then everything flushed. False when a write failed
    // (stdout closed or full), here or before.
    bool finish(const snapshot::Snapshot& summary);

private:
    void flush();

    std::FILE* out_;
    FlowJsonOptions options_;
    std::string buffer_;
    bool failed_ = false;
};

}  // namespace sockeye::exports
