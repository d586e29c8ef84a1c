// Loads and attaches the attribution programs and reads what they record.
// Loading never throws and never exits: any failure (no permission, bpf()
// disabled, no BTF, verifier refusal, missing tracepoint) comes back as a
// one-line reason, and the caller falls back to userspace attribution.
//
// Load it before the process drops its capabilities: creating maps and
// loading tracing programs needs CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN);
// reading and deleting map entries through the fds it keeps does not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "ebpf/bpf_syscall.hpp"
#include "ebpf/map_drain.hpp"
#include "ebpf/owner_record.hpp"

namespace sockeye::ebpf {

struct LoaderOptions {
    std::string btf_path = "/sys/kernel/btf/vmlinux";
    bool tcp = true;
    bool udp = true;
    bool icmp = true;  // ICMP echo: ping sockets, and raw ICMP sockets' echo requests
    // Bounded kernel maps (LRU: the oldest entries go when full).
    std::uint32_t flow_capacity = 16384;
    std::uint32_t pending_capacity = 4096;
};

class KernelSource {
public:
    // Fails when nothing could be attached: the message gives each
    // program's reason, the code the first one's (permission_denied without
    // CAP_BPF, unsupported or not_found for a kernel without BTF, bpf() or
    // the tracepoints). With one program attached and another not, loads
    // and notes the other's reason in description().
    static core::Result<std::unique_ptr<KernelSource>> load(const LoaderOptions& options);

    // Reads up to `max` records (a few more when a batch call returns
    // them) and deletes them from the kernel map, in bulk where the kernel
    // can (see map_drain.hpp); appends them to `out`, returns how many. The
    // programs see every network namespace: in_own_namespace() tells a
    // record of sockeye's own from a container's (whose 127.0.0.1:80 is
    // not ours).
    std::size_t drain(std::vector<OwnerRecord>& out, std::size_t max);
    // True for sockeye's own namespace, and when either side is unknown.
    [[nodiscard]] bool in_own_namespace(const OwnerRecord& record) const {
        return own_netns_ == 0 || record.netns == 0 || record.netns == own_netns_;
    }
    // False on kernels without BPF_MAP_LOOKUP_AND_DELETE_BATCH for hash maps.
    [[nodiscard]] bool bulk_drain() const { return drain_.batched(); }
    [[nodiscard]] std::uint64_t drain_calls() const { return drain_.calls(); }

    // "tracepoint inet_sock_set_state (TCP connect), tracepoint sock_send_length (UDP send),
    // tracepoint net_dev_queue (ICMP raw-socket echo), tracepoint sock_send_length (ICMP send)"
    [[nodiscard]] const std::string& description() const { return description_; }
    [[nodiscard]] std::uint64_t read_errors() const { return read_errors_; }
    [[nodiscard]] std::uint64_t other_namespaces() const { return other_netns_; }

private:
    KernelSource() = default;

    core::UniqueFd pending_;
    core::UniqueFd flows_;
    core::UniqueFd raw_owners_;  // raw ICMP socket address -> owner (ping_send)
    core::UniqueFd raw_keys_;    // raw ICMP socket address -> its last echo's key (raw_echo)
    std::vector<core::UniqueFd> programs_;
    std::vector<core::UniqueFd> links_;
    std::string description_;
    std::uint64_t read_errors_ = 0;
    std::uint64_t other_netns_ = 0;
    std::uint32_t own_netns_ = 0;  // inode of /proc/self/ns/net; 0: no filter
    MapDrain drain_{sizeof(RawFlowKey), sizeof(RawOwner)};
};

// Loads, attaches and unloads again: the line `--version` prints.
// "eBPF (...)" or "userspace (eBPF unavailable: <reason>)".
std::string probe_status_line(const LoaderOptions& options = {});

}  // namespace sockeye::ebpf
