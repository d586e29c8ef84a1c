// What the UI remembers between snapshots: total traffic per refresh for the
// graph, and each process's peak rates. Bounded; `x` clears it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "snapshot/snapshot.hpp"

namespace sockeye::tui {

using TrafficSample = snapshot::TrafficSample;

struct PeakRates {
    double down = 0;
    double up = 0;
};

class TrafficHistory {
public:
    explicit TrafficHistory(std::size_t max_samples = 600) : max_samples_(max_samples) {}

    // Takes the engine's traffic series from `snap` (packet time, so the
    // graph does not depend on how fast a file is replayed) and raises the
    // per-process peaks.
    void record(const snapshot::Snapshot& snap);
    // Forgets the peaks and the samples up to now; later ones still come.
    void clear();

    [[nodiscard]] const std::deque<TrafficSample>& samples() const { return samples_; }
    // Peak rates of a process (key from process_key()); zeros when unseen.
    [[nodiscard]] PeakRates peak(const std::string& key) const;

private:
    std::size_t max_samples_;
    std::deque<TrafficSample> samples_;
    std::int64_t cleared_through_ns_ = 0;  // samples up to here were cleared
    std::map<std::string, PeakRates> peaks_;
};

// A stable identity for the owner of a flow: "pid:name" for a process,
// "unknown:<reason>" for unattributed flows.
std::string process_key(const snapshot::FlowRecord& flow);
// What the table shows for the owner: "curl", "unknown (no_socket)".
std::string process_label(const snapshot::FlowRecord& flow);
// The owner's program, as the Processes tab groups by it by default (peaks
// are kept for these keys too): "prog:<name>" for every process of that
// name, process_key() for unattributed flows.
std::string program_key(const snapshot::FlowRecord& flow);
// The owner's container, as the Processes tab groups by it (peaks are kept
// for these keys too): "ctr:<kind>:<id>" for a process in a container or a
// Kubernetes pod, "ctr:host" for every other process, "ctr:none" for flows
// without one.
std::string container_key(const snapshot::FlowRecord& flow);
// The remote end, as the Processes tab groups by it (peaks are kept for
// these keys too): "host:<address>". By address, not name: a name may come
// later than the first packets.
std::string remote_host_key(const snapshot::FlowRecord& flow);
// "web", "kube-system/coredns-5d78c9869d-x7k2p" (a pod), "docker
// 3f2a9c1b7d4e" (not named), "host", "no process".
std::string container_label(const snapshot::FlowRecord& flow);

}  // namespace sockeye::tui
