#include <gtest/gtest.h>

#include <cstring>

#include "ebpf/owner_record.hpp"
#include "ebpf/owner_table.hpp"

namespace sockeye::ebpf {
namespace {

OwnerRecord record(std::uint8_t proto, const char* local, std::uint16_t lport, const char* remote,
                   std::uint16_t rport, std::uint32_t pid) {
    OwnerRecord r;
    r.protocol = proto;
    r.local_ip = core::IpAddress::parse(local);
    r.local_port = lport;
    r.remote_ip = core::IpAddress::parse(remote);
    r.remote_port = rport;
    r.tgid = pid;
    r.comm = "p" + std::to_string(pid);
    return r;
}

core::SocketTuple flow(std::uint8_t proto, const char* local, std::uint16_t lport, const char* remote, std::uint16_t rport) {
    return core::SocketTuple{proto, core::IpAddress::parse(local), lport, core::IpAddress::parse(remote), rport};
}

TEST(OwnerTable, ExactTcpMatchOnly) {
    OwnerTable t(64, 60);
    t.add(record(6, "10.0.0.1", 40000, "10.0.0.2", 80, 7), 0);
    const auto hit = t.find(flow(6, "10.0.0.1", 40000, "10.0.0.2", 80));
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->tgid, 7u);
    EXPECT_FALSE(t.find(flow(6, "10.0.0.1", 40000, "10.0.0.3", 80)));
    EXPECT_FALSE(t.find(flow(17, "10.0.0.1", 40000, "10.0.0.2", 80)));
}

TEST(OwnerTable, UnconnectedUdpMatchesByLocalPort) {
    OwnerTable t(64, 60);
    t.add(record(17, "0.0.0.0", 5353, "0.0.0.0", 0, 1), 0);
    t.add(record(17, "10.0.0.1", 6000, "0.0.0.0", 0, 2), 0);
    t.add(record(17, "::", 7000, "::", 0, 3), 0);
    EXPECT_EQ(t.find(flow(17, "10.0.0.1", 5353, "8.8.8.8", 53))->tgid, 1u);
    EXPECT_EQ(t.find(flow(17, "10.0.0.1", 6000, "8.8.8.8", 53))->tgid, 2u);
    EXPECT_EQ(t.find(flow(17, "10.0.0.1", 7000, "8.8.8.8", 53))->tgid, 3u) << "dual-stack socket";
    EXPECT_FALSE(t.find(flow(17, "10.0.0.1", 6001, "8.8.8.8", 53)));
}

// A ping socket's record: no remote, the echo identifier as local port,
// usually unbound. An echo flow carries the identifier as both ports.
TEST(OwnerTable, PingSocketMatchesEchoFlowsByIdentifier) {
    OwnerTable t(64, 60);
    t.add(record(1, "0.0.0.0", 4242, "0.0.0.0", 0, 1), 0);
    t.add(record(58, "::", 77, "::", 0, 2), 0);
    t.add(record(1, "10.0.0.1", 500, "0.0.0.0", 0, 3), 0);
    EXPECT_EQ(t.find(flow(1, "10.0.0.1", 4242, "10.0.0.2", 4242))->tgid, 1u);
    EXPECT_EQ(t.find(flow(58, "fd00::1", 77, "fd00::2", 77))->tgid, 2u);
    EXPECT_EQ(t.find(flow(1, "10.0.0.1", 500, "10.0.0.9", 500))->tgid, 3u) << "bound ping socket";
    EXPECT_FALSE(t.find(flow(1, "10.0.0.7", 500, "10.0.0.9", 500))) << "bound to another address";
    EXPECT_FALSE(t.find(flow(1, "10.0.0.1", 4243, "10.0.0.2", 4243))) << "another identifier";
    EXPECT_FALSE(t.find(flow(1, "10.0.0.1", 77, "10.0.0.2", 77))) << "ICMPv6 record, ICMP flow";
    EXPECT_FALSE(t.find(flow(17, "10.0.0.1", 4242, "10.0.0.2", 53))) << "UDP is not ICMP";
}

// A raw ICMP socket's record comes from its echo request: the identifier on
// both sides and the destination, so only that echo flow matches.
TEST(OwnerTable, RawIcmpRecordMatchesItsEchoFlowOnly) {
    OwnerTable t(64, 60);
    t.add(record(1, "10.0.0.1", 0x4321, "10.0.0.2", 0x4321, 5), 0);
    EXPECT_EQ(t.find(flow(1, "10.0.0.1", 0x4321, "10.0.0.2", 0x4321))->tgid, 5u);
    EXPECT_FALSE(t.find(flow(1, "10.0.0.1", 0x4321, "10.0.0.3", 0x4321))) << "other destination";
    EXPECT_FALSE(t.find(flow(1, "10.0.0.1", 0x4322, "10.0.0.2", 0x4322))) << "other identifier";
}

TEST(OwnerTable, BoundedAndExpiring) {
    OwnerTable t(16, 60);
    for (std::uint16_t i = 0; i < 100; ++i) t.add(record(6, "10.0.0.1", static_cast<std::uint16_t>(1000 + i), "10.0.0.2", 80, i), i);
    EXPECT_LE(t.size(), 16u);
    EXPECT_TRUE(t.find(flow(6, "10.0.0.1", 1099, "10.0.0.2", 80))) << "newest kept";
    EXPECT_FALSE(t.find(flow(6, "10.0.0.1", 1000, "10.0.0.2", 80))) << "oldest evicted";
    EXPECT_GT(t.expire(99 + 61 - 10), 0u);
    EXPECT_GT(t.size(), 0u);
    t.expire(1000);
    EXPECT_EQ(t.size(), 0u);
}

TEST(OwnerRecord, DecodesKernelBytes) {
    RawFlowKey k;
    k.family = 10;
    k.protocol = 6;
    k.local_port = 40000;
    const std::uint8_t port80[2] = {0x00, 0x50};  // network order
    std::memcpy(&k.remote_port, port80, 2);
    const std::uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1};
    std::memcpy(k.local_addr, mapped, 16);
    k.remote_addr[15] = 1;  // ::1
    RawOwner v;
    v.tgid = 42;
    v.uid = 1000;
    v.netns = 4026531840u;
    std::memcpy(v.comm, "curl", 4);
    OwnerRecord r;
    ASSERT_TRUE(decode_owner(k, v, r));
    EXPECT_EQ(r.local_ip.to_string(), "192.0.2.1") << "v4-mapped comes out as IPv4";
    EXPECT_EQ(r.remote_ip.to_string(), "::1");
    EXPECT_EQ(r.remote_port, 80);
    EXPECT_EQ(r.local_port, 40000);
    EXPECT_EQ(r.comm, "curl");
    EXPECT_EQ(r.tgid, 42u);
    EXPECT_EQ(r.netns, 4026531840u);
    k.family = 1;
    EXPECT_FALSE(decode_owner(k, v, r));
}

}  // namespace
}  // namespace sockeye::ebpf
