#include "ebpf/programs.hpp"

#include "ebpf/record_layout.hpp"

namespace sockeye::ebpf {
namespace {

constexpr std::int32_t kAfInet = 2;
constexpr std::int32_t kAfInet6 = 10;
constexpr std::int32_t kIpprotoTcp = 6;
constexpr std::int32_t kIpprotoUdp = 17;
constexpr std::int32_t kIpprotoIcmp = 1;
constexpr std::int32_t kIpprotoIcmpv6 = 58;
constexpr std::int32_t kSockDgram = 2;
constexpr std::int32_t kSockRaw = 3;
constexpr std::int32_t kIcmpEchoRequest = 8;
constexpr std::int32_t kIcmpv6EchoRequest = 128;
// A raw socket's owner completes a raw_echo key only this fresh: the map is
// keyed by socket address, and a closed socket's address gets reused.
constexpr std::int32_t kRawOwnerMaxAgeNs = 2'000'000'000;
constexpr std::int32_t kTcpSynSent = 2;
constexpr std::int32_t kTcpClose = 7;

// Sizes the programs copy, from the record types they fill.
constexpr int kCommBytes = sizeof(RawOwner{}.comm);
constexpr int kAddrBytes = sizeof(RawFlowKey{}.local_addr);
constexpr int kPointerBytes = sizeof(std::uint64_t);  // a kernel pointer (64-bit kernels only)
constexpr int kNetnsBytes = sizeof(RawOwner{}.netns);
constexpr int kWord = 4;     // IPv6 addresses are copied a 32-bit word at a time
constexpr int kDouble = 8;   // stack slots are cleared and copied 8 bytes at a time

// Raw tracepoint arguments: struct bpf_raw_tracepoint_args, u64 args[].
constexpr std::int16_t arg(int n) { return static_cast<std::int16_t>(n * 8); }

// What a raw socket's echo request holds where, from its network header on
// (RFC 791, RFC 8200, RFC 792 / RFC 4443; IPv4 without options).
namespace wire {
constexpr int kIpv4VersionIhl = 0;
constexpr std::int32_t kIpv4NoOptions = 0x45;  // version 4, header length 5 words
constexpr int kIpv4Protocol = 9;
constexpr int kIpv4Source = 12;
constexpr int kIpv4Destination = 16;
constexpr int kIpv4Header = 20;
constexpr int kIpv6NextHeader = 6;
constexpr int kIpv6Source = 8;
constexpr int kIpv6Destination = 24;
constexpr int kIpv6Header = 40;
constexpr int kIcmpType = 0;     // type, then code: read as one u16 whose low byte is the type
constexpr int kIcmpEchoId = 4;   // identifier, then sequence number
constexpr int kIcmpEchoHeader = 8;
// Enough for either family's headers up to the echo identifier.
constexpr int kEchoBytes = kIpv6Header + kIcmpEchoHeader;
static_assert(kIpv4Header + kIcmpEchoHeader <= kEchoBytes && kEchoBytes <= int{kMaxSockSpan});
}  // namespace wire

// Stack frame (offsets from r10, all 8-byte aligned: the verifier wants
// naturally aligned stack accesses).
constexpr std::int16_t kStackSock = -128;   // copy of sock_common's first bytes
constexpr std::int16_t kStackKey = -168;    // RawFlowKey
constexpr std::int16_t kStackOwner = -208;  // RawOwner
constexpr std::int16_t kStackSk = -216;     // the socket's address: pending map key
constexpr std::int16_t kStackTmp = -224;    // scratch (sk_protocol, group_leader)
static_assert(kStackSock + static_cast<int>(kMaxSockSpan) <= 0);
static_assert(kStackKey + static_cast<int>(sizeof(RawFlowKey)) <= kStackSock);
static_assert(kStackOwner + static_cast<int>(sizeof(RawOwner)) <= kStackKey);

std::int16_t off16(int v) { return static_cast<std::int16_t>(v); }
std::int32_t imm32(std::uint32_t v) { return static_cast<std::int32_t>(v); }

// r1 = r10 + off
void stack_ptr(ProgramBuilder& b, Reg dst, std::int16_t off) {
    b.mov_reg(dst, R10);
    b.alu_imm(op::kAdd, dst, off);
}

// bpf_probe_read_kernel(r10 + dst_off, size, src_reg + src_off); r0 = result.
void probe_read(ProgramBuilder& b, std::int16_t dst_off, std::uint32_t size, Reg src_reg, std::uint32_t src_off) {
    stack_ptr(b, R1, dst_off);
    b.mov_imm(R2, imm32(size));
    b.mov_reg(R3, src_reg);
    b.alu_imm(op::kAdd, R3, imm32(src_off));
    b.call(helper::kProbeReadKernel);
}

// Jumps to `other` unless the socket in `sk` has IP protocol `proto`.
void require_protocol(ProgramBuilder& b, const KernelLayout& l, Reg sk, std::int32_t proto, Label other) {
    b.store_imm(8, R10, kStackTmp, 0);
    probe_read(b, kStackTmp, l.protocol.size, sk, l.protocol.offset);
    b.jump_imm(op::kJne, R0, 0, other);
    b.load(2, R1, R10, kStackTmp);
    b.jump_imm(op::kJne, R1, proto, other);
}

// The current process into the owner slot: tgid, uid, time, and the thread
// group leader's comm (a worker thread's comm names the thread, not the
// program), falling back to the thread's own.
void fill_owner(ProgramBuilder& b, const KernelLayout& l) {
    b.call(helper::kGetCurrentPidTgid);
    b.alu_imm(op::kRsh, R0, 32);
    b.store(4, R10, off16(kStackOwner + layout::kOwnerTgid), R0);
    b.call(helper::kGetCurrentUidGid);
    b.store(4, R10, off16(kStackOwner + layout::kOwnerUid), R0);  // low half: uid
    b.call(helper::kKtimeGetNs);
    b.store(8, R10, off16(kStackOwner + layout::kOwnerTime), R0);
    b.store_imm(8, R10, off16(kStackOwner + layout::kOwnerNetns), 0);  // netns + pad: fill_key's
    const Label thread_comm = b.new_label();
    const Label have_comm = b.new_label();
    if (l.group_leader && l.comm) {
        b.call(helper::kGetCurrentTask);
        b.mov_reg(R3, R0);
        b.alu_imm(op::kAdd, R3, imm32(l.group_leader->offset));
        stack_ptr(b, R1, kStackTmp);
        b.mov_imm(R2, kPointerBytes);
        b.call(helper::kProbeReadKernel);
        b.jump_imm(op::kJne, R0, 0, thread_comm);
        b.load(8, R3, R10, kStackTmp);
        b.jump_imm(op::kJeq, R3, 0, thread_comm);
        b.alu_imm(op::kAdd, R3, imm32(l.comm->offset));
        stack_ptr(b, R1, off16(kStackOwner + layout::kOwnerComm));
        b.mov_imm(R2, kCommBytes);
        b.call(helper::kProbeReadKernel);
        b.jump_imm(op::kJeq, R0, 0, have_comm);
    }
    b.bind(thread_comm);
    stack_ptr(b, R1, off16(kStackOwner + layout::kOwnerComm));
    b.mov_imm(R2, kCommBytes);
    b.call(helper::kGetCurrentComm);
    b.bind(have_comm);
}

// The socket in `sk` as a RawFlowKey on the stack, and its network
// namespace into the owner slot (which must be filled already); jumps to
// `fail` when it cannot be read, is neither IPv4 nor IPv6, has no local
// port yet, or lives in another network namespace than `only_netns` (0: any).
void fill_key(ProgramBuilder& b, const KernelLayout& l, Reg sk, std::int32_t proto,
              std::uint32_t only_netns, Label fail) {
    for (int i = 0; i < static_cast<int>(sizeof(RawFlowKey)); i += kDouble)
        b.store_imm(kDouble, R10, off16(kStackKey + i), 0);
    probe_read(b, kStackSock, l.sock_span, sk, 0);
    b.jump_imm(op::kJne, R0, 0, fail);
    auto sock_at = [](std::uint32_t offset) { return off16(kStackSock + static_cast<int>(offset)); };
    b.load(2, R1, R10, sock_at(l.family.offset));
    b.store(1, R10, off16(kStackKey + layout::kKeyFamily), R1);
    b.store_imm(1, R10, off16(kStackKey + layout::kKeyProtocol), proto);
    b.load(2, R2, R10, sock_at(l.local_port.offset));
    b.jump_imm(op::kJeq, R2, 0, fail);
    b.store(2, R10, off16(kStackKey + layout::kKeyLocalPort), R2);
    b.load(2, R2, R10, sock_at(l.remote_port.offset));
    b.store(2, R10, off16(kStackKey + layout::kKeyRemotePort), R2);

    const Label v6 = b.new_label();
    const Label done = b.new_label();
    b.jump_imm(op::kJeq, R1, kAfInet6, v6);
    b.jump_imm(op::kJne, R1, kAfInet, fail);
    b.load(4, R2, R10, sock_at(l.v4_local.offset));
    b.store(4, R10, off16(kStackKey + layout::kKeyLocalAddr), R2);
    b.load(4, R2, R10, sock_at(l.v4_remote.offset));
    b.store(4, R10, off16(kStackKey + layout::kKeyRemoteAddr), R2);
    b.jump(done);
    b.bind(v6);
    for (int i = 0; i < kAddrBytes; i += kWord) {
        const auto at = static_cast<std::uint32_t>(i);
        b.load(kWord, R2, R10, sock_at(l.v6_local.offset + at));
        b.store(kWord, R10, off16(kStackKey + layout::kKeyLocalAddr + i), R2);
        b.load(kWord, R2, R10, sock_at(l.v6_remote.offset + at));
        b.store(kWord, R10, off16(kStackKey + layout::kKeyRemoteAddr + i), R2);
    }
    b.bind(done);
    // The socket's network namespace, into the owner slot (0 when unknown).
    if (l.net && l.netns_inum) {
        const Label no_net = b.new_label();
        b.load(8, R3, R10, sock_at(l.net->offset));
        b.jump_imm(op::kJeq, R3, 0, no_net);
        b.alu_imm(op::kAdd, R3, imm32(*l.netns_inum));
        stack_ptr(b, R1, off16(kStackOwner + layout::kOwnerNetns));
        b.mov_imm(R2, kNetnsBytes);
        b.call(helper::kProbeReadKernel);
        if (only_netns != 0) {
            // Filtered here, not in userspace: on a busy host other
            // namespaces' sends would otherwise crowd ours out of the map.
            b.load(4, R1, R10, off16(kStackOwner + layout::kOwnerNetns));
            b.load_imm64(R2, only_netns);
            b.jump_reg(op::kJne, R1, R2, fail);
        }
        b.bind(no_net);
    }
}

// Copies the `size`-byte map value r0 points at to the stack at `dst`.
void copy_value(ProgramBuilder& b, std::int16_t dst, std::size_t size) {
    for (int i = 0; i < static_cast<int>(size); i += kDouble) {
        b.load(kDouble, R1, R0, off16(i));
        b.store(kDouble, R10, off16(dst + i), R1);
    }
}

// map_update(map, r10 + key_off, r10 + value_off, BPF_ANY)
void update(ProgramBuilder& b, int map_fd, std::int16_t key_off, std::int16_t value_off) {
    b.load_map_fd(R1, map_fd);
    stack_ptr(b, R2, key_off);
    stack_ptr(b, R3, value_off);
    b.mov_imm(R4, 0);
    b.call(helper::kMapUpdateElem);
}

// Every program ends at `done`: return 0 (tracepoint programs' result is
// ignored) and resolve the jumps.
core::Result<std::vector<Insn>> finish_program(ProgramBuilder& b, Label done) {
    b.bind(done);
    b.mov_imm(R0, 0);
    b.exit();
    return b.finish();
}

}  // namespace

core::Result<std::vector<Insn>> build_tcp_connect_program(const KernelLayout& l, int pending_map_fd,
                                                          int flows_map_fd, std::uint32_t only_netns) {
    ProgramBuilder b;
    const Label done = b.new_label();
    const Label not_connect = b.new_label();
    const Label drop_pending = b.new_label();
    // ctx: struct bpf_raw_tracepoint_args, u64 args[]: sk, oldstate, newstate.
    b.mov_reg(R6, R1);
    b.load(8, R7, R6, arg(0));
    b.load(8, R8, R6, arg(1));
    b.load(8, R9, R6, arg(2));
    b.jump_imm(op::kJeq, R7, 0, done);
    b.store(8, R10, kStackSk, R7);
    require_protocol(b, l, R7, kIpprotoTcp, done);
    b.jump_imm(op::kJne, R9, kTcpSynSent, not_connect);
    b.jump_imm(op::kJne, R8, kTcpClose, done);
    // connect(): remember who, under the socket's address.
    fill_owner(b, l);
    update(b, pending_map_fd, kStackSk, kStackOwner);
    b.jump(done);

    b.bind(not_connect);
    b.jump_imm(op::kJne, R8, kTcpSynSent, done);
    b.load_map_fd(R1, pending_map_fd);
    stack_ptr(b, R2, kStackSk);
    b.call(helper::kMapLookupElem);
    b.jump_imm(op::kJeq, R0, 0, done);
    copy_value(b, kStackOwner, sizeof(RawOwner));
    fill_key(b, l, R7, kIpprotoTcp, only_netns, drop_pending);
    update(b, flows_map_fd, kStackKey, kStackOwner);
    b.bind(drop_pending);
    b.load_map_fd(R1, pending_map_fd);
    stack_ptr(b, R2, kStackSk);
    b.call(helper::kMapDeleteElem);

    return finish_program(b, done);
}

core::Result<std::vector<Insn>> build_udp_send_program(const KernelLayout& l, int flows_map_fd,
                                                       std::uint32_t only_netns) {
    ProgramBuilder b;
    const Label done = b.new_label();
    // ctx: u64 args[]: sk, ret, flags.
    b.mov_reg(R6, R1);
    b.load(8, R7, R6, arg(0));
    b.jump_imm(op::kJeq, R7, 0, done);
    require_protocol(b, l, R7, kIpprotoUdp, done);
    fill_owner(b, l);
    fill_key(b, l, R7, kIpprotoUdp, only_netns, done);
    update(b, flows_map_fd, kStackKey, kStackOwner);
    return finish_program(b, done);
}

core::Result<std::vector<Insn>> build_ping_send_program(const KernelLayout& l, int flows_map_fd,
                                                        int raw_owners_fd, int raw_keys_fd,
                                                        std::uint32_t only_netns) {
    if (!l.type) {
        return core::Error{core::ErrorCode::unsupported,
                           "kernel BTF has no struct sock.sk_type (cannot tell ping sockets from raw ones)"};
    }
    ProgramBuilder b;
    const Label done = b.new_label();
    const Label icmp = b.new_label();
    const Label v6 = b.new_label();
    const Label raw = b.new_label();
    // ctx: u64 args[]: sk, ret, flags. r7 = sk, r8 = its protocol.
    b.mov_reg(R6, R1);
    b.load(8, R7, R6, arg(0));
    b.jump_imm(op::kJeq, R7, 0, done);
    b.store(8, R10, kStackSk, R7);
    b.store_imm(8, R10, kStackTmp, 0);
    probe_read(b, kStackTmp, l.protocol.size, R7, l.protocol.offset);
    b.jump_imm(op::kJne, R0, 0, done);
    b.load(2, R8, R10, kStackTmp);
    b.jump_imm(op::kJeq, R8, kIpprotoIcmp, icmp);
    b.jump_imm(op::kJne, R8, kIpprotoIcmpv6, done);
    b.bind(icmp);
    // A raw ICMP socket's local port is the protocol number, not an
    // identifier: recording it would name whoever pings with identifier 1.
    b.store_imm(8, R10, kStackTmp, 0);
    probe_read(b, kStackTmp, l.type->size, R7, l.type->offset);
    b.jump_imm(op::kJne, R0, 0, done);
    b.load(2, R1, R10, kStackTmp);
    if (raw_owners_fd >= 0 && raw_keys_fd >= 0) b.jump_imm(op::kJeq, R1, kSockRaw, raw);
    b.jump_imm(op::kJne, R1, kSockDgram, done);
    fill_owner(b, l);
    b.jump_imm(op::kJeq, R8, kIpprotoIcmpv6, v6);
    fill_key(b, l, R7, kIpprotoIcmp, only_netns, done);
    update(b, flows_map_fd, kStackKey, kStackOwner);
    b.jump(done);
    b.bind(v6);
    fill_key(b, l, R7, kIpprotoIcmpv6, only_netns, done);
    update(b, flows_map_fd, kStackKey, kStackOwner);
    b.jump(done);

    b.bind(raw);
    if (raw_owners_fd >= 0 && raw_keys_fd >= 0) {
        // fill_key only for its namespace check and the owner's netns: a
        // raw socket's own key (port = protocol number) is not used.
        fill_owner(b, l);
        fill_key(b, l, R7, kIpprotoIcmp, only_netns, done);
        update(b, raw_owners_fd, kStackSk, kStackOwner);
        b.load_map_fd(R1, raw_keys_fd);
        stack_ptr(b, R2, kStackSk);
        b.call(helper::kMapLookupElem);
        b.jump_imm(op::kJeq, R0, 0, done);
        copy_value(b, kStackKey, sizeof(RawFlowKey));
        update(b, flows_map_fd, kStackKey, kStackOwner);
        b.load_map_fd(R1, raw_keys_fd);
        stack_ptr(b, R2, kStackSk);
        b.call(helper::kMapDeleteElem);
    }
    return finish_program(b, done);
}

core::Result<std::vector<Insn>> build_raw_echo_program(const KernelLayout& l, int flows_map_fd,
                                                       int raw_owners_fd, int raw_keys_fd) {
    if (!l.type || !l.skb_sk || !l.skb_head || !l.skb_network_header) {
        return core::Error{core::ErrorCode::unsupported,
                           "kernel BTF has no sock.sk_type or sk_buff.sk/head/network_header"};
    }
    ProgramBuilder b;
    const Label done = b.new_label();
    const Label icmp = b.new_label();
    const Label v6 = b.new_label();
    const Label have_key = b.new_label();
    auto pkt = [](int offset) { return off16(kStackSock + offset); };
    // Reads `size` bytes at `src` + `offset` into the scratch slot; jumps
    // to done when that fails, else leaves them in `dst`.
    auto read_tmp = [&](Reg dst, int size, Reg src, std::uint32_t offset) {
        b.store_imm(8, R10, kStackTmp, 0);
        probe_read(b, kStackTmp, static_cast<std::uint32_t>(size), src, offset);
        b.jump_imm(op::kJne, R0, 0, done);
        b.load(size, dst, R10, kStackTmp);
    };
    // ctx: u64 args[]: skb. r7 = skb, r8 = its socket, r9 = the socket's protocol.
    b.load(8, R7, R1, arg(0));
    b.jump_imm(op::kJeq, R7, 0, done);
    read_tmp(R8, 8, R7, l.skb_sk->offset);
    b.jump_imm(op::kJeq, R8, 0, done);
    b.store(8, R10, kStackSk, R8);
    read_tmp(R9, 2, R8, l.protocol.offset);
    b.jump_imm(op::kJeq, R9, kIpprotoIcmp, icmp);
    b.jump_imm(op::kJne, R9, kIpprotoIcmpv6, done);
    b.bind(icmp);
    read_tmp(R1, 2, R8, l.type->offset);
    b.jump_imm(op::kJne, R1, kSockRaw, done);
    read_tmp(R6, 8, R7, l.skb_head->offset);
    read_tmp(R1, 2, R7, l.skb_network_header->offset);
    b.alu_reg(op::kAdd, R6, R1);
    // The headers from the network header on, up to the echo identifier.
    stack_ptr(b, R1, kStackSock);
    b.mov_imm(R2, wire::kEchoBytes);
    b.mov_reg(R3, R6);
    b.call(helper::kProbeReadKernel);
    b.jump_imm(op::kJne, R0, 0, done);
    for (int i = 0; i < static_cast<int>(sizeof(RawFlowKey)); i += kDouble) {
        b.store_imm(kDouble, R10, off16(kStackKey + i), 0);
    }
    // The identifier, as an echo flow carries it: local port in host order
    // (like skc_num), remote port in wire order (like skc_dport).
    auto store_id = [&](int at) {
        b.load(2, R1, R10, pkt(at));
        b.store(2, R10, off16(kStackKey + layout::kKeyRemotePort), R1);
        b.load(1, R1, R10, pkt(at));
        b.alu_imm(op::kLsh, R1, 8);
        b.load(1, R2, R10, pkt(at + 1));
        b.alu_reg(op::kOr, R1, R2);
        b.store(2, R10, off16(kStackKey + layout::kKeyLocalPort), R1);
    };
    b.jump_imm(op::kJeq, R9, kIpprotoIcmpv6, v6);
    b.load(1, R1, R10, pkt(wire::kIpv4VersionIhl));
    b.jump_imm(op::kJne, R1, wire::kIpv4NoOptions, done);
    b.load(1, R1, R10, pkt(wire::kIpv4Protocol));
    b.jump_imm(op::kJne, R1, kIpprotoIcmp, done);
    // Type and code as one u16: the type in the low byte, code 0.
    b.load(2, R1, R10, pkt(wire::kIpv4Header + wire::kIcmpType));
    b.jump_imm(op::kJne, R1, kIcmpEchoRequest, done);
    b.store_imm(1, R10, off16(kStackKey + layout::kKeyFamily), kAfInet);
    b.store_imm(1, R10, off16(kStackKey + layout::kKeyProtocol), kIpprotoIcmp);
    b.load(kWord, R1, R10, pkt(wire::kIpv4Source));
    b.store(kWord, R10, off16(kStackKey + layout::kKeyLocalAddr), R1);
    b.load(kWord, R1, R10, pkt(wire::kIpv4Destination));
    b.store(kWord, R10, off16(kStackKey + layout::kKeyRemoteAddr), R1);
    store_id(wire::kIpv4Header + wire::kIcmpEchoId);
    b.jump(have_key);
    b.bind(v6);
    // ICMPv6 right after the fixed header (no extension headers).
    b.load(1, R1, R10, pkt(wire::kIpv6NextHeader));
    b.jump_imm(op::kJne, R1, kIpprotoIcmpv6, done);
    b.load(2, R1, R10, pkt(wire::kIpv6Header + wire::kIcmpType));
    b.jump_imm(op::kJne, R1, kIcmpv6EchoRequest, done);
    b.store_imm(1, R10, off16(kStackKey + layout::kKeyFamily), kAfInet6);
    b.store_imm(1, R10, off16(kStackKey + layout::kKeyProtocol), kIpprotoIcmpv6);
    for (int i = 0; i < kAddrBytes; i += kWord) {
        b.load(kWord, R1, R10, pkt(wire::kIpv6Source + i));
        b.store(kWord, R10, off16(kStackKey + layout::kKeyLocalAddr + i), R1);
        b.load(kWord, R1, R10, pkt(wire::kIpv6Destination + i));
        b.store(kWord, R10, off16(kStackKey + layout::kKeyRemoteAddr + i), R1);
    }
    store_id(wire::kIpv6Header + wire::kIcmpEchoId);
    b.bind(have_key);
    update(b, raw_keys_fd, kStackSk, kStackKey);
    // ping_send already ran for this socket (the packet waited for the
    // neighbour): its owner, if fresh, completes the record now.
    b.load_map_fd(R1, raw_owners_fd);
    stack_ptr(b, R2, kStackSk);
    b.call(helper::kMapLookupElem);
    b.jump_imm(op::kJeq, R0, 0, done);
    copy_value(b, kStackOwner, sizeof(RawOwner));
    b.call(helper::kKtimeGetNs);
    b.load(8, R1, R10, off16(kStackOwner + layout::kOwnerTime));
    b.alu_reg(op::kSub, R0, R1);
    b.jump_imm(op::kJgt, R0, kRawOwnerMaxAgeNs, done);
    update(b, flows_map_fd, kStackKey, kStackOwner);
    return finish_program(b, done);
}

}  // namespace sockeye::ebpf
