// The bytecode of each attribution program, built for a fixed kernel layout
// and fixed map descriptors, against a golden listing in
// tests/unit/ebpf/golden/. A change to a program shows as a diff of what it
// does (SOCKEYE_UPDATE_GOLDEN=1 rewrites the files; review them).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ebpf/programs.hpp"
#include "unit/ebpf/bpf_disasm.hpp"
#include "unit/support/golden_file.hpp"

namespace sockeye::ebpf {
namespace {

constexpr int kPendingMap = 10, kFlowsMap = 11, kRawOwnersMap = 12, kRawKeysMap = 13;
constexpr std::uint32_t kOnlyNetns = 4026531840u;

// Offsets of a 6.1 x86_64 kernel's structs; only their values matter here.
KernelLayout fixed_layout() {
    KernelLayout l;
    l.family = {16, 2};
    l.local_port = {14, 2};
    l.remote_port = {12, 2};
    l.v4_local = {4, 4};
    l.v4_remote = {0, 4};
    l.v6_local = {72, 16};
    l.v6_remote = {56, 16};
    l.protocol = {514, 2};
    l.type = BtfField{512, 2};
    l.skb_sk = BtfField{24, 8};
    l.skb_head = BtfField{200, 8};
    l.skb_network_header = BtfField{180, 2};
    l.sock_span = 88;
    l.group_leader = BtfField{1480, 8};
    l.comm = BtfField{1888, 16};
    l.net = BtfField{48, 8};
    l.netns_inum = 120;
    return l;
}

void expect_program(const std::string& name, const core::Result<std::vector<Insn>>& built) {
    ASSERT_TRUE(built) << name << ": " << built.error().message;
    sockeye::test::expect_golden("tests/unit/ebpf/golden", name, test::disassemble(*built));
}

TEST(EbpfPrograms, TcpConnectBytecode) {
    expect_program("tcp_connect", build_tcp_connect_program(fixed_layout(), kPendingMap, kFlowsMap, kOnlyNetns));
}

TEST(EbpfPrograms, UdpSendBytecode) {
    expect_program("udp_send", build_udp_send_program(fixed_layout(), kFlowsMap, kOnlyNetns));
}

TEST(EbpfPrograms, PingSendBytecode) {
    expect_program("ping_send", build_ping_send_program(fixed_layout(), kFlowsMap, kRawOwnersMap, kRawKeysMap,
                                            kOnlyNetns));
}

TEST(EbpfPrograms, RawEchoBytecode) {
    expect_program("raw_echo", build_raw_echo_program(fixed_layout(), kFlowsMap, kRawOwnersMap, kRawKeysMap));
}

}  // namespace
}  // namespace sockeye::ebpf
