#include "ebpf/kernel_layout.hpp"

#include <algorithm>

namespace sockeye::ebpf {
namespace {

bool field(const BtfReader& btf, std::string_view type, std::string_view name, std::uint32_t size,
           BtfField& out, std::string& error) {
    const auto f = btf.member(type, name);
    if (!f) {
        error = "kernel BTF has no struct " + std::string(type) + "." + std::string(name);
        return false;
    }
    if (f->size != size) {
        error = "struct " + std::string(type) + "." + std::string(name) + " is " +
                std::to_string(f->size) + " bytes, expected " + std::to_string(size);
        return false;
    }
    // The programs load fields from their stack with naturally aligned
    // accesses (the verifier insists on it); addresses are read 4 bytes at a time.
    const std::uint32_t align = std::min<std::uint32_t>(size, 4);
    if (f->offset % align != 0) {
        error = "struct " + std::string(type) + "." + std::string(name) + " is misaligned";
        return false;
    }
    out = *f;
    return true;
}

}  // namespace

core::Result<KernelLayout> read_kernel_layout(const BtfReader& btf) {
    std::string error;
    KernelLayout l;
    const bool ok = field(btf, "sock_common", "skc_family", 2, l.family, error) &&
                    field(btf, "sock_common", "skc_num", 2, l.local_port, error) &&
                    field(btf, "sock_common", "skc_dport", 2, l.remote_port, error) &&
                    field(btf, "sock_common", "skc_rcv_saddr", 4, l.v4_local, error) &&
                    field(btf, "sock_common", "skc_daddr", 4, l.v4_remote, error) &&
                    field(btf, "sock_common", "skc_v6_rcv_saddr", 16, l.v6_local, error) &&
                    field(btf, "sock_common", "skc_v6_daddr", 16, l.v6_remote, error) &&
                    field(btf, "sock", "sk_protocol", 2, l.protocol, error);
    if (!ok) return core::Error{core::ErrorCode::unsupported, error};
    for (const BtfField& f : {l.family, l.local_port, l.remote_port, l.v4_local, l.v4_remote,
                              l.v6_local, l.v6_remote}) {
        l.sock_span = std::max(l.sock_span, f.offset + f.size);
    }
    l.sock_span = (l.sock_span + 7u) & ~7u;
    if (l.sock_span > kMaxSockSpan) {
        return core::Error{core::ErrorCode::unsupported,
                           "struct sock_common's addresses end at byte " + std::to_string(l.sock_span) +
                               ", beyond the " + std::to_string(kMaxSockSpan) + " the programs copy"};
    }
    BtfField leader;
    BtfField comm;
    BtfField type;
    std::string ignored;
    if (field(btf, "sock", "sk_type", 2, type, ignored)) l.type = type;
    BtfField skb_sk;
    BtfField skb_head;
    BtfField skb_nh;
    if (field(btf, "sk_buff", "sk", 8, skb_sk, ignored) &&
        field(btf, "sk_buff", "head", 8, skb_head, ignored) &&
        field(btf, "sk_buff", "network_header", 2, skb_nh, ignored)) {
        l.skb_sk = skb_sk;
        l.skb_head = skb_head;
        l.skb_network_header = skb_nh;
    }
    BtfField net;
    BtfField ns;
    BtfField inum;
    if (field(btf, "sock_common", "skc_net", 8, net, ignored) &&
        net.offset + 8 <= l.sock_span && btf.member("net", "ns") &&
        field(btf, "ns_common", "inum", 4, inum, ignored)) {
        ns = *btf.member("net", "ns");
        l.net = net;
        l.netns_inum = ns.offset + inum.offset;
    }
    if (field(btf, "task_struct", "group_leader", 8, leader, ignored) &&
        field(btf, "task_struct", "comm", 16, comm, ignored)) {
        l.group_leader = leader;
        l.comm = comm;
    }
    return l;
}

}  // namespace sockeye::ebpf
