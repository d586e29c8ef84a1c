// The neighbour dump's reply parser on datagrams laid out as the kernel
// sends them, and a dump of this machine's own table.
#include <gtest/gtest.h>

#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "host/neighbours.hpp"

namespace sockeye::host {
namespace {

void put(std::vector<std::uint8_t>& out, const void* data, std::size_t n) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    out.insert(out.end(), p, p + n);
    while (out.size() % 4 != 0) out.push_back(0);
}

void attribute(std::vector<std::uint8_t>& body, std::uint16_t type, const std::vector<std::uint8_t>& value) {
    rtattr a{};
    a.rta_len = static_cast<unsigned short>(sizeof a + value.size());
    a.rta_type = type;
    std::vector<std::uint8_t> raw(sizeof a);
    std::memcpy(raw.data(), &a, sizeof a);
    raw.insert(raw.end(), value.begin(), value.end());
    put(body, raw.data(), raw.size());
}

// One message: header, then `body`.
void message(std::vector<std::uint8_t>& out, std::uint16_t type, std::uint32_t seq,
             const std::vector<std::uint8_t>& body) {
    nlmsghdr h{};
    h.nlmsg_len = static_cast<std::uint32_t>(sizeof h + body.size());
    h.nlmsg_type = type;
    h.nlmsg_seq = seq;
    put(out, &h, sizeof h);
    if (!body.empty()) put(out, body.data(), body.size());
}

std::vector<std::uint8_t> neighbour(std::uint8_t family, std::uint16_t state, const std::vector<std::uint8_t>& ip,
                                    const std::vector<std::uint8_t>& mac) {
    ndmsg nd{};
    nd.ndm_family = family;
    nd.ndm_state = state;
    std::vector<std::uint8_t> body;
    put(body, &nd, sizeof nd);
    attribute(body, NDA_DST, ip);
    if (!mac.empty()) attribute(body, NDA_LLADDR, mac);
    return body;
}

const std::vector<std::uint8_t> kPi = {0xb8, 0x27, 0xeb, 1, 2, 3};

TEST(Neighbours, UsableEntriesWithAnAddressAreKept) {
    std::vector<std::uint8_t> d;
    message(d, RTM_NEWNEIGH, 7, neighbour(AF_INET, NUD_REACHABLE, {10, 0, 0, 2}, kPi));
    message(d, RTM_NEWNEIGH, 7, neighbour(AF_INET, NUD_FAILED, {10, 0, 0, 3}, kPi));        // gone
    message(d, RTM_NEWNEIGH, 7, neighbour(AF_INET, NUD_INCOMPLETE, {10, 0, 0, 4}, {}));    // no answer yet
    message(d, RTM_NEWNEIGH, 8, neighbour(AF_INET, NUD_STALE, {10, 0, 0, 5}, kPi));        // another dump
    std::vector<std::uint8_t> v6(16, 0);
    v6[0] = 0xfe;
    v6[1] = 0x80;
    v6[15] = 9;
    message(d, RTM_NEWNEIGH, 7, neighbour(AF_INET6, NUD_STALE, v6, kPi));
    message(d, NLMSG_DONE, 7, {0, 0, 0, 0});
    std::vector<Neighbour> out;
    NeighbourReply reply;
    parse_neighbour_datagram(d, 7, out, reply);
    EXPECT_TRUE(reply.done);
    EXPECT_FALSE(reply.malformed);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].ip, core::IpAddress::parse("10.0.0.2"));
    EXPECT_EQ(out[1].ip, core::IpAddress::parse("fe80::9"));
    EXPECT_EQ(std::vector<std::uint8_t>(out[0].mac.begin(), out[0].mac.end()), kPi);
}

TEST(Neighbours, BrokenLengthsAndErrorsStopTheDump) {
    std::vector<std::uint8_t> d;
    message(d, RTM_NEWNEIGH, 1, neighbour(AF_INET, NUD_REACHABLE, {10, 0, 0, 2}, kPi));
    d[0] = 0xff;  // nlmsg_len past the datagram
    std::vector<Neighbour> out;
    NeighbourReply reply;
    parse_neighbour_datagram(d, 1, out, reply);
    EXPECT_TRUE(reply.malformed);
    EXPECT_TRUE(out.empty());

    std::vector<std::uint8_t> e;
    const int error = -EPERM;
    std::vector<std::uint8_t> body(sizeof error);
    std::memcpy(body.data(), &error, sizeof error);
    message(e, NLMSG_ERROR, 1, body);
    NeighbourReply failed;
    parse_neighbour_datagram(e, 1, out, failed);
    EXPECT_TRUE(failed.done);
    EXPECT_EQ(failed.error, EPERM);

    // An attribute longer than its message.
    std::vector<std::uint8_t> a;
    auto bad = neighbour(AF_INET, NUD_REACHABLE, {10, 0, 0, 2}, kPi);
    bad[sizeof(ndmsg)] = 0xf0;
    message(a, RTM_NEWNEIGH, 1, bad);
    NeighbourReply truncated;
    parse_neighbour_datagram(a, 1, out, truncated);
    EXPECT_TRUE(truncated.malformed);
}

TEST(Neighbours, ThisMachinesTableCanBeRead) {
    NeighbourTable table;
    ASSERT_TRUE(table.valid());
    EXPECT_TRUE(table.refresh());  // no privilege needed; the table may well be empty
}

}  // namespace
}  // namespace sockeye::host
