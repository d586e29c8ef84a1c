// The four kernel programs, built with the instruction builder against the
// running kernel's struct layout. All are BPF_PROG_TYPE_RAW_TRACEPOINT
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
// ping_send (the same tracepoint, ICMP and ICMPv6 "ping sockets" only:
//   SOCK_DGRAM, as ping uses them where net.ipv4.ping_group_range lets it):
//   the kernel binds such a socket to an echo identifier on the first send
//   and keeps it in the local port (inet_num), so the key is (ICMP or
//   ICMPv6, local address, identifier) -- matched like unconnected UDP.
//   Raw ICMP sockets (SOCK_RAW, ping with cap_net_raw) have no identifier
//   in the socket (their local port is the protocol number; the identifier
//   is in the bytes the process wrote): for them the program only stores
//   the owner under the socket's address in `raw_owners`, and completes a
//   record raw_echo left in `raw_keys` for that socket.
// raw_echo (tracepoint net:net_dev_queue, every packet handed to a device):
//   an ICMP echo request (IPv4 without options, or IPv6 without extension
//   headers) from a raw ICMP socket gives the key: (ICMP or ICMPv6, source,
//   identifier, destination, identifier) -- exactly the echo flow. It is
//   stored in `raw_keys` under the socket's address; and when the send
//   program already left that socket's owner (less than 2 s ago), the
//   record goes into `flows` right here. The two orders both happen:
//   usually the packet leaves inside sendmsg() (raw_echo first, then
//   ping_send completes the record); the first one to a neighbour not yet
//   resolved leaves later, from softirq (ping_send first) -- which is why
//   the owner is never taken from the context raw_echo runs in.
#pragma once

#include <string>
#include <vector>

#include "ebpf/bpf_insn.hpp"
#include "ebpf/kernel_layout.hpp"

namespace sockeye::ebpf {

inline constexpr const char* kTcpTracepoint = "inet_sock_set_state";
inline constexpr const char* kUdpTracepoint = "sock_send_length";
inline constexpr const char* kPingTracepoint = "sock_send_length";
inline constexpr const char* kRawEchoTracepoint = "net_dev_queue";

// `only_netns`: record only sockets of that network namespace (inode of
// /proc/self/ns/net); 0 records every namespace.
core::Result<std::vector<Insn>> build_tcp_connect_program(const KernelLayout& layout, int pending_map_fd,
                                                          int flows_map_fd, std::uint32_t only_netns);
core::Result<std::vector<Insn>> build_udp_send_program(const KernelLayout& layout, int flows_map_fd,
                                                       std::uint32_t only_netns);
// ErrorCode::unsupported when the layout has no sk_type. `raw_owners_fd` and
// `raw_keys_fd` < 0: raw ICMP sockets are skipped.
core::Result<std::vector<Insn>> build_ping_send_program(const KernelLayout& layout, int flows_map_fd,
                                                        int raw_owners_fd, int raw_keys_fd,
                                                        std::uint32_t only_netns);
// ErrorCode::unsupported when the layout has no sk_type or sk_buff fields.
core::Result<std::vector<Insn>> build_raw_echo_program(const KernelLayout& layout, int flows_map_fd,
                                                       int raw_owners_fd, int raw_keys_fd);

}  // namespace sockeye::ebpf
