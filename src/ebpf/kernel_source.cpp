#include "ebpf/kernel_source.hpp"

#include <linux/bpf.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "ebpf/btf_reader.hpp"
#include "ebpf/kernel_layout.hpp"
#include "ebpf/programs.hpp"

namespace sockeye::ebpf {
namespace {

// What an errno from bpf() means for the user.
std::string explain(const BpfError& e) {
    switch (e.errno_value) {
        case EPERM:
            return "needs CAP_BPF and CAP_PERFMON, or root (" + e.text + ")";
        case ENOSYS:
            return "the kernel has no bpf() system call (" + e.text + ")";
        default:
            return e.text;
    }
}

struct Attached {
    core::UniqueFd program;
    core::UniqueFd link;
};

bool attach(const std::string& name, const std::vector<Insn>& insns, const char* tracepoint,
            Attached& out, std::string& reason) {
    ProgSpec spec;
    spec.type = BPF_PROG_TYPE_RAW_TRACEPOINT;
    spec.insns = insns;
    spec.name = name;
    BpfError error;
    out.program = prog_load(spec, error);
    if (!out.program.valid()) {
        reason = explain(error);
        return false;
    }
    out.link = raw_tracepoint_open(tracepoint, out.program.get(), error);
    if (!out.link.valid()) {
        reason = error.errno_value == ENOENT
                     ? std::string("this kernel has no tracepoint ") + tracepoint
                     : explain(error);
        return false;
    }
    return true;
}

}  // namespace

std::unique_ptr<KernelSource> KernelSource::load(const LoaderOptions& options, std::string& reason) {
    std::string error;
    const auto btf = BtfReader::load(options.btf_path, error);
    if (!btf) {
        reason = error;
        return nullptr;
    }
    const auto layout = read_kernel_layout(*btf, error);
    if (!layout) {
        reason = error;
        return nullptr;
    }
    std::unique_ptr<KernelSource> source(new KernelSource());
    struct stat ns {};
    if (layout->netns_inum && ::stat("/proc/self/ns/net", &ns) == 0) {
        source->own_netns_ = static_cast<std::uint32_t>(ns.st_ino);
    }
    BpfError bpf_error;
    source->flows_ = map_create(MapSpec{BPF_MAP_TYPE_LRU_HASH, sizeof(RawFlowKey), sizeof(RawOwner),
                                        options.flow_capacity, "sockeye_flows"},
                                bpf_error);
    if (!source->flows_.valid()) {
        reason = explain(bpf_error);
        return nullptr;
    }
    std::vector<std::string> attached;
    std::vector<std::string> failed;
    // An attached program lives as long as its descriptors: keep them, and
    // name it for the status line.
    const auto keep = [&](Attached& a, const char* tracepoint, const char* what) {
        source->programs_.push_back(std::move(a.program));
        source->links_.push_back(std::move(a.link));
        attached.push_back(std::string("tracepoint ") + tracepoint + " (" + what + ")");
    };
    if (options.tcp) {
        std::string why;
        source->pending_ = map_create(MapSpec{BPF_MAP_TYPE_LRU_HASH, sizeof(std::uint64_t),
                                              sizeof(RawOwner), options.pending_capacity,
                                              "sockeye_pending"},
                                      bpf_error);
        std::vector<Insn> insns;
        Attached a;
        if (!source->pending_.valid()) {
            why = explain(bpf_error);
        } else if (!build_tcp_connect_program(*layout, source->pending_.get(), source->flows_.get(),
                                              source->own_netns_, insns, why)) {
            why = "program: " + why;
        } else if (attach("sockeye_tcp", insns, kTcpTracepoint, a, why)) {
            keep(a, kTcpTracepoint, "TCP connect");
        }
        if (!why.empty()) failed.push_back("TCP: " + why);
    }
    if (options.udp) {
        std::string why;
        std::vector<Insn> insns;
        Attached a;
        if (!build_udp_send_program(*layout, source->flows_.get(), source->own_netns_, insns, why)) {
            why = "program: " + why;
        } else if (attach("sockeye_udp", insns, kUdpTracepoint, a, why)) {
            keep(a, kUdpTracepoint, "UDP send");
        }
        if (!why.empty()) failed.push_back("UDP: " + why);
    }
    if (options.icmp) {
        // Raw ICMP sockets first: the send program completes their records
        // only when raw_echo is attached.
        std::string why;
        std::vector<Insn> insns;
        Attached a;
        source->raw_owners_ = map_create(MapSpec{BPF_MAP_TYPE_LRU_HASH, sizeof(std::uint64_t),
                                                 sizeof(RawOwner), options.pending_capacity,
                                                 "sockeye_rawown"},
                                         bpf_error);
        if (source->raw_owners_.valid()) {
            source->raw_keys_ = map_create(MapSpec{BPF_MAP_TYPE_LRU_HASH, sizeof(std::uint64_t),
                                                   sizeof(RawFlowKey), options.pending_capacity,
                                                   "sockeye_rawkey"},
                                           bpf_error);
        }
        if (!source->raw_owners_.valid() || !source->raw_keys_.valid()) {
            why = explain(bpf_error);
        } else if (!build_raw_echo_program(*layout, source->flows_.get(), source->raw_owners_.get(),
                                           source->raw_keys_.get(), insns, why)) {
            why = "program: " + why;
        } else if (attach("sockeye_rawicmp", insns, kRawEchoTracepoint, a, why)) {
            keep(a, kRawEchoTracepoint, "ICMP raw-socket echo");
        }
        const bool raw = why.empty();
        if (!raw) failed.push_back("raw ICMP: " + why);
        why.clear();
        insns.clear();
        if (!build_ping_send_program(*layout, source->flows_.get(),
                                     raw ? source->raw_owners_.get() : -1,
                                     raw ? source->raw_keys_.get() : -1, source->own_netns_, insns,
                                     why)) {
            why = "program: " + why;
        } else if (attach("sockeye_ping", insns, kPingTracepoint, a, why)) {
            keep(a, kPingTracepoint, "ICMP send");
        }
        if (!why.empty()) failed.push_back("ICMP: " + why);
    }
    if (attached.empty()) {
        reason = failed.empty() ? "no program enabled" : failed.front();
        for (std::size_t i = 1; i < failed.size(); ++i) reason += "; " + failed[i];
        return nullptr;
    }
    for (std::size_t i = 0; i < attached.size(); ++i) {
        source->description_ += (i ? ", " : "") + attached[i];
    }
    for (const auto& f : failed) source->description_ += "; not attached: " + f;
    return source;
}

std::size_t KernelSource::drain(std::vector<OwnerRecord>& out, std::size_t max) {
    std::size_t n = 0;
    drain_.drain(flows_.get(), max, [&](const void* k, const void* v) {
        RawFlowKey key;
        RawOwner value;
        std::memcpy(&key, k, sizeof key);
        std::memcpy(&value, v, sizeof value);
        OwnerRecord record;
        if (!decode_owner(key, value, record)) {
            ++read_errors_;
            return;
        }
        // Another namespace's 127.0.0.1:80 is not ours.
        if (own_netns_ != 0 && record.netns != 0 && record.netns != own_netns_) {
            ++other_netns_;
            return;
        }
        out.push_back(std::move(record));
        ++n;
    });
    return n;
}

std::string probe_status_line(const LoaderOptions& options) {
    std::string reason;
    const auto source = KernelSource::load(options, reason);
    if (!source) return "userspace (eBPF unavailable: " + reason + ")";
    return "eBPF (" + source->description() + ")";
}

}  // namespace sockeye::ebpf
