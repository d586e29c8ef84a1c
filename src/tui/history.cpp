#include "tui/history.hpp"

#include <algorithm>
#include <iterator>

#include "tui/format.hpp"

namespace sockeye::tui {
namespace {
constexpr std::size_t kMaxPeaks = 4096;
}  // namespace

std::string process_key(const snapshot::FlowRecord& flow) {
    if (flow.process) return std::to_string(flow.process->pid) + ":" + flow.process->name;
    return "unknown:" + std::string(snapshot::unattributed_reason_name(flow.unattributed));
}

std::string process_label(const snapshot::FlowRecord& flow) {
    if (flow.process) return flow.process->name.empty() ? flow.process->comm : flow.process->name;
    if (flow.unattributed == snapshot::UnattributedReason::none) return "unknown";
    // A capture file has no processes to ask: nothing is missing, so say nothing.
    if (flow.unattributed == snapshot::UnattributedReason::offline) return "-";
    return "unknown (" + std::string(snapshot::unattributed_reason_name(flow.unattributed)) + ")";
}

std::string program_key(const snapshot::FlowRecord& flow) {
    if (flow.process) return "prog:" + process_label(flow);
    return process_key(flow);
}

std::string container_key(const snapshot::FlowRecord& flow) {
    if (!flow.process) return "ctr:none";
    if (!in_container(*flow.process)) return "ctr:host";
    return "ctr:" + flow.process->container_kind + ":" + flow.process->container;
}

std::string remote_host_key(const snapshot::FlowRecord& flow) {
    return "host:" + flow.destination_ip.to_string();
}

std::string container_label(const snapshot::FlowRecord& flow) {
    if (!flow.process) return "no process";
    const snapshot::ProcessInfo& p = *flow.process;
    if (!in_container(p)) return "host";
    if (p.container_kind == "kubernetes") return format_pod(p);
    if (!p.container_name.empty()) return p.container_name;
    return p.container_kind + " " + p.container.substr(0, 12);
}

void TrafficHistory::record(const snapshot::Snapshot& snap) {
    std::map<std::string, PeakRates> now;
    for (const auto& f : snap.flows) {
        if (f.end_reason != snapshot::EndReason::active) continue;
        // An unattributed flow's program key is its process key: count it once.
        std::string program = program_key(f);
        std::string process = process_key(f);
        if (program == process) program.clear();
        for (auto key : {std::move(process), std::move(program), container_key(f), remote_host_key(f)}) {
            if (key.empty()) continue;
            auto& rates = now[std::move(key)];
            rates.down += f.received_bytes_per_s;
            rates.up += f.sent_bytes_per_s;
        }
    }
    for (const auto& [key, rates] : now) {
        auto& peak = peaks_[key];
        peak.down = std::max(peak.down, rates.down);
        peak.up = std::max(peak.up, rates.up);
    }
    // Short-lived processes each leave a key; forget the ones gone quiet once
    // there are many, so a long session does not grow without bound.
    if (peaks_.size() > kMaxPeaks) {
        for (auto it = peaks_.begin(); it != peaks_.end();) {
            it = now.count(it->first) != 0 ? std::next(it) : peaks_.erase(it);
        }
    }
    samples_.clear();
    for (const auto& sample : snap.traffic)
        if (sample.ts_ns > cleared_through_ns_) samples_.push_back(sample);
    while (samples_.size() > max_samples_) samples_.pop_front();
}

void TrafficHistory::clear() {
    if (!samples_.empty()) cleared_through_ns_ = samples_.back().ts_ns;
    samples_.clear();
    peaks_.clear();
}

PeakRates TrafficHistory::peak(const std::string& key) const {
    const auto it = peaks_.find(key);
    return it == peaks_.end() ? PeakRates{} : it->second;
}

}  // namespace sockeye::tui
