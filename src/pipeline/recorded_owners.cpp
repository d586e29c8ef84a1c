#include "pipeline/recorded_owners.hpp"

#include "core/tuple_hash.hpp"
#include "export/pcapng_writer.hpp"

namespace sockeye::pipeline {
namespace {

// Bounds memory on a hostile file; far more flows than a flow table holds.
constexpr std::size_t kMaxOwners = std::size_t{1} << 20;

}  // namespace

std::size_t RecordedOwners::KeyHash::operator()(const Key& k) const {
    return core::hash_socket_tuple(k.ip_proto, k.source_ip, k.source_port, k.destination_ip,
                                   k.destination_port);
}

void RecordedOwners::observe(std::string_view comment, const flow::FlowTable::Endpoints& ends) {
    exports::CommentedOwner owner = exports::parse_packet_comment(comment);
    if (owner.process.empty() && owner.pid == 0) return;
    const Key key{ends.ip_proto, ends.source_ip, ends.destination_ip, ends.source_port,
                  ends.destination_port};
    auto found = owners_.find(key);
    if (found == owners_.end() && owners_.size() >= kMaxOwners) return;
    std::string id = owner.process + '\0' + std::to_string(owner.pid);
    auto& process = processes_[id];
    if (!process) {
        auto info = std::make_shared<snapshot::ProcessInfo>();
        info->pid = owner.pid;
        info->name = std::move(owner.process);
        process = std::move(info);
    }
    // The latest comment wins: a tuple reused by another process later on.
    if (found != owners_.end()) {
        found->second = process;
    } else {
        owners_.emplace(key, process);
    }
}

void RecordedOwners::apply(snapshot::Snapshot& snap) const {
    apply_status(snap);
    for (auto& f : snap.flows) apply_flow(f);
}

void RecordedOwners::apply_status(snapshot::Snapshot& snap) const {
    if (owners_.empty()) return;
    snap.attribution.active = true;
    snap.attribution.method = "pcapng comments";
}

void RecordedOwners::apply_flow(snapshot::FlowRecord& f) const {
    if (owners_.empty()) return;
    const Key key{f.ip_proto, f.source_ip, f.destination_ip, f.source_port, f.destination_port};
    const auto found = owners_.find(key);
    if (found == owners_.end()) {
        f.unattributed = snapshot::UnattributedReason::offline;
        return;
    }
    f.process = found->second;
    f.process_match = snapshot::ProcessMatch::pcapng_comment;
    f.unattributed = snapshot::UnattributedReason::none;
}

}  // namespace sockeye::pipeline
