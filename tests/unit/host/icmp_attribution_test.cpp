// ICMP in the attributor: echo flows (identifier in the ports) are looked
// up, other ICMP messages are not. Without eBPF nothing can name a ping
// socket's owner (sock_diag has no ICMP family), so the answer is an
// honest "no socket" at once, never queued. (With eBPF: the e2e test and
// unit/ebpf's ping-socket test.)
#include <gtest/gtest.h>

#include <chrono>

#include "host/attributor.hpp"

namespace sockeye::host {
namespace {

using snapshot::UnattributedReason;

SocketTuple icmp(std::uint8_t proto, const char* local, const char* remote, std::uint16_t id) {
    return SocketTuple{proto, core::IpAddress::parse(local), id, core::IpAddress::parse(remote),
                       id};
}

TEST(IcmpAttribution, OnlyEchoFlowsAreAttributable) {
    EXPECT_TRUE(is_attributable(kProtoTcp, 0));
    EXPECT_TRUE(is_attributable(kProtoUdp, 53));
    EXPECT_TRUE(is_attributable(kProtoIcmp, 4242));
    EXPECT_TRUE(is_attributable(kProtoIcmpv6, 1));
    EXPECT_FALSE(is_attributable(kProtoIcmp, 0)) << "not an echo: no identifier";
    EXPECT_FALSE(is_attributable(kProtoIcmpv6, 0));
    EXPECT_FALSE(is_attributable(47, 0)) << "GRE";
}

TEST(IcmpAttribution, WithoutEbpfAnEchoFlowIsAnsweredAtOnce) {
    AttributorOptions o;  // eBPF off: the userspace path alone
    o.refresh_interval = std::chrono::milliseconds(50);
    ProcessAttributor a(o);
    a.start();
    const SocketTuple echo = icmp(kProtoIcmp, "127.0.0.1", "127.0.0.1", 4242);
    const SocketTuple other = icmp(kProtoIcmp, "127.0.0.1", "127.0.0.1", 0);
    const SocketTuple udp{kProtoUdp, core::IpAddress::parse("127.0.0.1"), 9,
                          core::IpAddress::parse("127.0.0.1"), 9};
    a.request(echo);
    a.request(other);
    a.request(udp);  // control: this one is queued
    ASSERT_TRUE(a.wait_idle(std::chrono::seconds(5)));
    EXPECT_EQ(a.counters().requests, 1u);
    const Attribution answer = a.lookup(echo);
    EXPECT_FALSE(answer.process);
    EXPECT_EQ(answer.reason, UnattributedReason::no_socket);
    EXPECT_EQ(a.lookup(other).reason, UnattributedReason::no_socket);
    EXPECT_EQ(a.counters().requests, 1u) << "lookup() of ICMP without eBPF queues nothing";
    a.stop();
}

}  // namespace
}  // namespace sockeye::host
