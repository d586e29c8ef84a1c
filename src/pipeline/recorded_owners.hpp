// Process owners a capture file recorded. sockeye's --pcapng-export writes
// on every packet a comment "process=NAME pid=N dir=... app=..."; reading
// that file back, the comments say whose each flow was, as attribution said
// when it was captured. They fill the same flow fields live attribution
// fills, matched as "pcapng_comment".
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "flow/flow_table.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::pipeline {

class RecordedOwners {
public:
    // The comment of a packet the engine accounted to the flow `ends`.
    // Comments that name no process are ignored.
    void observe(std::string_view comment, const flow::FlowTable::Endpoints& ends);
    [[nodiscard]] bool empty() const { return owners_.empty(); }
    // Once any comment named a process: flows get their recorded owner (the
    // others are "offline"), and attribution reads as active.
    void apply(snapshot::Snapshot& snap) const;
    // The same in two parts, for flows streamed one at a time.
    void apply_status(snapshot::Snapshot& snap) const;
    void apply_flow(snapshot::FlowRecord& flow) const;

private:
    struct Key {
        std::uint8_t ip_proto = 0;
        core::IpAddress source_ip{}, destination_ip{};
        std::uint16_t source_port = 0, destination_port = 0;
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const;
    };

    // One record per (name, pid), shared by its flows.
    std::unordered_map<std::string, std::shared_ptr<const snapshot::ProcessInfo>> processes_;
    std::unordered_map<Key, std::shared_ptr<const snapshot::ProcessInfo>, KeyHash> owners_;
};

}  // namespace sockeye::pipeline
