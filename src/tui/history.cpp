#include "tui/history.hpp"

#include <algorithm>
#include <iterator>
#include <unordered_map>
#include <utility>

#include "core/tuple_hash.hpp"
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
    // Rates summed per owner and per remote address first (flows of one
    // process share its record), so the keys are made once per process and
    // address, not once per flow: with 100k flows that is the refresh's cost.
    struct Owner {
        const snapshot::FlowRecord* first = nullptr;
        PeakRates rates;
    };
    std::unordered_map<const snapshot::ProcessInfo*, Owner> by_process;
    std::unordered_map<core::IpAddress, std::pair<const snapshot::FlowRecord*, PeakRates>, core::IpAddressHash>
        by_remote;
    std::map<std::string, PeakRates> now;
    const auto add = [](PeakRates& to, const snapshot::FlowRecord& f) {
        to.down += f.received_bytes_per_s;
        to.up += f.sent_bytes_per_s;
    };
    for (const auto& f : snap.flows) {
        if (f.end_reason != snapshot::EndReason::active) continue;
        if (f.process) {
            Owner& o = by_process[f.process.get()];
            if (o.first == nullptr) o.first = &f;
            add(o.rates, f);
        } else {
            // Unattributed: the process key is the reason, and so is the program's.
            add(now[process_key(f)], f);
            add(now[container_key(f)], f);
        }
        auto& remote = by_remote[f.destination_ip];
        if (remote.first == nullptr) remote.first = &f;
        add(remote.second, f);
    }
    const auto merge = [&now](std::string key, const PeakRates& r) {
        PeakRates& to = now[std::move(key)];
        to.down += r.down;
        to.up += r.up;
    };
    for (const auto& [process, owner] : by_process) {
        merge(process_key(*owner.first), owner.rates);
        merge(program_key(*owner.first), owner.rates);
        merge(container_key(*owner.first), owner.rates);
    }
    for (const auto& [address, remote] : by_remote) merge(remote_host_key(*remote.first), remote.second);
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
