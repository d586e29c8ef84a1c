// Where the running kernel keeps the fields the programs read, from its BTF:
// a socket's family, ports and addresses (struct sock_common), its protocol
// (struct sock) and a task's group leader and comm (struct task_struct).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "ebpf/btf_reader.hpp"

namespace sockeye::ebpf {

struct KernelLayout {
    // struct sock_common (the first member of struct sock, at offset 0).
    BtfField family, local_port, remote_port, v4_local, v4_remote, v6_local, v6_remote;
    BtfField protocol;  // struct sock: sk_protocol
    // struct sock: sk_type (SOCK_DGRAM / SOCK_RAW). Tells an ICMP "ping
    // socket" (whose local port is the echo identifier) from a raw ICMP
    // socket (whose local port is the protocol number); without it ICMP is
    // not recorded.
    std::optional<BtfField> type;
    // struct sk_buff: the owning socket, the buffer and the network header's
    // offset in it -- where a raw ICMP socket's echo request shows its
    // identifier and destination. Without them raw ICMP is not recorded.
    std::optional<BtfField> skb_sk, skb_head, skb_network_header;
    // The programs copy sock_common's first `sock_span` bytes in one read.
    std::uint32_t sock_span = 0;
    // struct task_struct; without them the thread's own comm is recorded.
    std::optional<BtfField> group_leader, comm;
    // sock_common.skc_net (a struct net pointer, inside sock_span) and the
    // offset of net.ns.inum: the socket's network namespace. Without them
    // records from every namespace are taken.
    std::optional<BtfField> net;
    std::optional<std::uint32_t> netns_inum;
};

// The programs copy at most this many bytes of sock_common to their stack.
inline constexpr std::uint32_t kMaxSockSpan = 128;

// ErrorCode::unsupported when a field is missing, has an unexpected size or
// alignment, or lies beyond kMaxSockSpan: the programs cannot serve this kernel.
core::Result<KernelLayout> read_kernel_layout(const BtfReader& btf);

}  // namespace sockeye::ebpf
