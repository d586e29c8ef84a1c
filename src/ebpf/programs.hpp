// The two kernel programs, built with the instruction builder against the
// running kernel's struct layout. Both are BPF_PROG_TYPE_RAW_TRACEPOINT
// programs: raw tracepoints are a stable attach point that needs neither
// tracefs nor a BTF function id.
//
// tcp_connect (tracepoint sock:inet_sock_set_state, TCP only):
//   CLOSE -> SYN_SENT runs inside connect(), in the connecting process: the
//   owner (tgid, uid, group leader's comm) is stored under the socket's
//   address in the `pending` map. The source port is not known yet there
//   (tcp_v4_connect sets SYN_SENT before inet_hash_connect picks the port),
//   so the first transition out of SYN_SENT (ESTABLISHED, or CLOSE on a
//   refused connect) -- in whatever context it runs -- moves the pending
//   owner into `flows` under the now complete 4-tuple.
//   Accepted sockets change state in softirq context, where the current
//   process is not their owner: servers are left to the listener match of
//   the userspace path.
// udp_send (tracepoint sock:sock_send_length, UDP only): after each
//   sendmsg(), in the sending process, with the source port bound by then
//   (autobind). Unconnected sockets have no remote address: their key has
//   remote 0 and is matched by local port.
#pragma once

#include <string>
#include <vector>

#include "ebpf/bpf_insn.hpp"
#include "ebpf/kernel_layout.hpp"

namespace sockeye::ebpf {

inline constexpr const char* kTcpTracepoint = "inet_sock_set_state";
inline constexpr const char* kUdpTracepoint = "sock_send_length";

// `only_netns`: record only sockets of that network namespace (inode of
// /proc/self/ns/net); 0 records every namespace.
bool build_tcp_connect_program(const KernelLayout& layout, int pending_map_fd, int flows_map_fd,
                               std::uint32_t only_netns, std::vector<Insn>& out, std::string& error);
bool build_udp_send_program(const KernelLayout& layout, int flows_map_fd, std::uint32_t only_netns,
                            std::vector<Insn>& out, std::string& error);

}  // namespace sockeye::ebpf
