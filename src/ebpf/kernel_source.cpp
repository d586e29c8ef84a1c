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
core::Error explain(const BpfError& e) {
    switch (e.errno_value) {
        case EPERM:
            return {core::ErrorCode::permission_denied,
                    "needs CAP_BPF and CAP_PERFMON, or root (" + e.text + ")"};
        case ENOSYS:
            return {core::ErrorCode::unsupported, "the kernel has no bpf() system call (" + e.text + ")"};
        default:
            return {core::error_code_for_errno(e.errno_value), e.text};
    }
}

struct Attached {
    core::UniqueFd program;
    core::UniqueFd link;
};

core::Result<Attached> attach(const std::string& name, const std::vector<Insn>& insns,
                              const char* tracepoint) {
    ProgSpec spec;
    spec.type = BPF_PROG_TYPE_RAW_TRACEPOINT;
    spec.insns = insns;
    spec.name = name;
    BpfError error;
    Attached out;
    out.program = prog_load(spec, error);
    if (!out.program.valid()) return explain(error);
    out.link = raw_tracepoint_open(tracepoint, out.program.get(), error);
    if (!out.link.valid()) {
        if (error.errno_value == ENOENT) {
            return core::Error{core::ErrorCode::unsupported,
                               std::string("this kernel has no tracepoint ") + tracepoint};
        }
        return explain(error);
    }
    return out;
}

// A program's build, then its attachment: the first failure.
core::Result<Attached> build_and_attach(core::Result<std::vector<Insn>> insns, const std::string& name,
                                        const char* tracepoint) {
    if (!insns) {
        core::Error error = std::move(insns).error();
        error.message = "program: " + error.message;
        return error;
    }
    return attach(name, *insns, tracepoint);
}

}  // namespace

core::Result<std::unique_ptr<KernelSource>> KernelSource::load(const LoaderOptions& options) {
    auto btf = BtfReader::load(options.btf_path);
    if (!btf) return std::move(btf).error();
    auto layout = read_kernel_layout(*btf);
    if (!layout) return std::move(layout).error();
    std::unique_ptr<KernelSource> source(new KernelSource());
    struct stat ns {};
    if (layout->netns_inum && ::stat("/proc/self/ns/net", &ns) == 0) {
        source->own_netns_ = static_cast<std::uint32_t>(ns.st_ino);
    }
    // The programs record every namespace: the host's monitor names its
    // containers' sockets too (kept apart from its own in userspace, see
    // in_own_namespace). Whether sockeye runs on the host cannot always be
    // told (init's namespace may be unreadable even to root), so it is not
    // guessed; inside a busy namespace's neighbourhood the map's LRU and the
    // drain every second bound what others' sends cost.
    constexpr std::uint32_t only_netns = 0;
    BpfError bpf_error;
    source->flows_ = map_create(MapSpec{BPF_MAP_TYPE_LRU_HASH, sizeof(RawFlowKey), sizeof(RawOwner),
                                        options.flow_capacity, "sockeye_flows"},
                                bpf_error);
    if (!source->flows_.valid()) return explain(bpf_error);
    std::vector<std::string> attached;
    std::vector<core::Error> failed;
    // An attached program lives as long as its descriptors: keep them and
    // name it for the status line; a failure is kept with what it was for.
    // Returns whether it attached.
    const auto keep = [&](core::Result<Attached> a, const char* tracepoint, const char* what,
                          const char* label) {
        if (!a) {
            core::Error error = std::move(a).error();
            error.message = std::string(label) + ": " + error.message;
            failed.push_back(std::move(error));
            return false;
        }
        source->programs_.push_back(std::move(a->program));
        source->links_.push_back(std::move(a->link));
        attached.push_back(std::string("tracepoint ") + tracepoint + " (" + what + ")");
        return true;
    };
    if (options.tcp) {
        source->pending_ = map_create(MapSpec{BPF_MAP_TYPE_LRU_HASH, sizeof(std::uint64_t),
                                              sizeof(RawOwner), options.pending_capacity,
                                              "sockeye_pending"},
                                      bpf_error);
        keep(!source->pending_.valid()
                 ? core::Result<Attached>(explain(bpf_error))
                 : build_and_attach(build_tcp_connect_program(*layout, source->pending_.get(),
                                                              source->flows_.get(), only_netns),
                                    "sockeye_tcp", kTcpTracepoint),
             kTcpTracepoint, "TCP connect", "TCP");
    }
    if (options.udp) {
        keep(build_and_attach(build_udp_send_program(*layout, source->flows_.get(), only_netns),
                              "sockeye_udp", kUdpTracepoint),
             kUdpTracepoint, "UDP send", "UDP");
    }
    if (options.icmp) {
        // Raw ICMP sockets first: the send program completes their records
        // only when raw_echo is attached.
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
        const bool raw = keep(
            !source->raw_owners_.valid() || !source->raw_keys_.valid()
                ? core::Result<Attached>(explain(bpf_error))
                : build_and_attach(build_raw_echo_program(*layout, source->flows_.get(),
                                                          source->raw_owners_.get(), source->raw_keys_.get()),
                                   "sockeye_rawicmp", kRawEchoTracepoint),
            kRawEchoTracepoint, "ICMP raw-socket echo", "raw ICMP");
        keep(build_and_attach(build_ping_send_program(*layout, source->flows_.get(),
                                                      raw ? source->raw_owners_.get() : -1,
                                                      raw ? source->raw_keys_.get() : -1, only_netns),
                              "sockeye_ping", kPingTracepoint),
             kPingTracepoint, "ICMP send", "ICMP");
    }
    if (attached.empty()) {
        if (failed.empty()) return core::Error{core::ErrorCode::usage, "no program enabled"};
        core::Error error = failed.front();
        for (std::size_t i = 1; i < failed.size(); ++i) error.message += "; " + failed[i].message;
        return error;
    }
    for (std::size_t i = 0; i < attached.size(); ++i) {
        source->description_ += (i ? ", " : "") + attached[i];
    }
    for (const auto& f : failed) source->description_ += "; not attached: " + f.message;
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
        if (!in_own_namespace(record)) ++other_netns_;
        out.push_back(std::move(record));
        ++n;
    });
    return n;
}

std::string probe_status_line(const LoaderOptions& options) {
    const auto source = KernelSource::load(options);
    if (!source) return "userspace (eBPF unavailable: " + source.error().message + ")";
    return "eBPF (" + (*source)->description() + ")";
}

}  // namespace sockeye::ebpf
