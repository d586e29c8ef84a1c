// ctnetlink requests and replies, and how a translated flow is traced back
// to its socket. The reply layout is the request's (CTA_TUPLE_* nests)
// twice over, as the kernel sends it; replies recorded from a real kernel
// behind MASQUERADE are replayed by fuzz_replay.conntrack and the podman
// end-to-end test checks the whole path against conntrack(8).
#include <gtest/gtest.h>

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "host/conntrack.hpp"

namespace sockeye::host {
namespace {

core::IpAddress ip(const char* s) { return core::IpAddress::parse(s); }

constexpr std::uint16_t kNewMessage = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;

// The container 10.88.0.5 behind the host's 198.51.100.1 (MASQUERADE).
const ConntrackTuple kOriginal{6, ip("10.88.0.5"), 40000, ip("198.51.100.2"), 80};
const ConntrackTuple kReply{6, ip("198.51.100.2"), 80, ip("198.51.100.1"), 61000};

// A CT_NEW message carrying both directions, as the kernel answers a GET.
std::vector<std::uint8_t> new_message(const ConntrackTuple& original, const ConntrackTuple& reply, std::uint32_t seq) {
    auto out = build_conntrack_get(original, ConntrackKey::original, seq);
    const auto second = build_conntrack_get(reply, ConntrackKey::reply, seq);
    const std::size_t attrs = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(nfgenmsg));
    out.insert(out.end(), second.begin() + static_cast<std::ptrdiff_t>(attrs), second.end());
    nlmsghdr h{};
    std::memcpy(&h, out.data(), sizeof h);
    h.nlmsg_len = static_cast<std::uint32_t>(out.size());
    h.nlmsg_type = kNewMessage;
    std::memcpy(out.data(), &h, sizeof h);
    return out;
}

std::vector<std::uint8_t> error_message(int error, std::uint32_t seq) {
    std::vector<std::uint8_t> out(NLMSG_HDRLEN + sizeof(nlmsgerr));
    nlmsghdr h{};
    h.nlmsg_len = static_cast<std::uint32_t>(out.size());
    h.nlmsg_type = NLMSG_ERROR;
    h.nlmsg_seq = seq;
    std::memcpy(out.data(), &h, sizeof h);
    const int negative = -error;
    std::memcpy(out.data() + NLMSG_HDRLEN, &negative, sizeof negative);
    return out;
}

TEST(Conntrack, GetRequestIsACtnetlinkGetOfOneTuple) {
    const auto req = build_conntrack_get(kReply, ConntrackKey::reply, 7);
    nlmsghdr h{};
    std::memcpy(&h, req.data(), sizeof h);
    EXPECT_EQ(h.nlmsg_len, req.size());
    EXPECT_EQ(h.nlmsg_type, (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET);
    EXPECT_EQ(h.nlmsg_flags, NLM_F_REQUEST);
    EXPECT_EQ(h.nlmsg_seq, 7u);
    EXPECT_EQ(req[NLMSG_HDRLEN], AF_INET);
    // Header, nfgenmsg, then one nest: tuple{ip{src,dst}, proto{num,sport,dport}}.
    EXPECT_EQ(req.size(), 16u + 4 + 4 + (4 + 8 + 8) + (4 + 8 + 8 + 8));
}

TEST(Conntrack, ReplyGivesBothDirections) {
    const auto reply = parse_conntrack_datagram(new_message(kOriginal, kReply, 3), 3);
    ASSERT_TRUE(reply.entry);
    EXPECT_EQ(reply.entry->original, kOriginal);
    EXPECT_EQ(reply.entry->reply, kReply);
    EXPECT_FALSE(reply.malformed);
}

TEST(Conntrack, IPv6TuplesAreRead) {
    const ConntrackTuple o{17, ip("fd00::5"), 5353, ip("2001:db8::2"), 53};
    const ConntrackTuple r{17, ip("2001:db8::2"), 53, ip("2001:db8::1"), 5353};
    const auto reply = parse_conntrack_datagram(new_message(o, r, 1), 1);
    ASSERT_TRUE(reply.entry);
    EXPECT_EQ(reply.entry->original, o);
    EXPECT_EQ(reply.entry->reply, r);
}

TEST(Conntrack, NotTrackedIsAnErrorNotAnEntry) {
    const auto reply = parse_conntrack_datagram(error_message(ENOENT, 4), 4);
    EXPECT_FALSE(reply.entry);
    EXPECT_EQ(reply.error, ENOENT);
}

TEST(Conntrack, OtherSequenceNumbersAndCutMessagesGiveNothing) {
    EXPECT_FALSE(parse_conntrack_datagram(new_message(kOriginal, kReply, 3), 4).entry);
    const auto whole = new_message(kOriginal, kReply, 3);
    const std::vector<std::uint8_t> cut(whole.begin(), whole.end() - 6);
    const auto reply = parse_conntrack_datagram(cut, 3);
    EXPECT_FALSE(reply.entry);
    EXPECT_TRUE(reply.malformed);
    // One direction only: not an entry.
    auto one = build_conntrack_get(kOriginal, ConntrackKey::original, 5);
    nlmsghdr h{};
    std::memcpy(&h, one.data(), sizeof h);
    h.nlmsg_type = kNewMessage;
    std::memcpy(one.data(), &h, sizeof h);
    EXPECT_FALSE(parse_conntrack_datagram(one, 5).entry);
}

TEST(Conntrack, MasqueradedFlowLeadsToTheContainersSocket) {
    // On the host's outer interface: 198.51.100.1:61000 -> 198.51.100.2:80.
    const SocketTuple seen{6, ip("198.51.100.1"), 61000, ip("198.51.100.2"), 80};
    const auto owner = untranslated_owner(seen, ConntrackEntry{kOriginal, kReply});
    ASSERT_TRUE(owner);
    EXPECT_EQ(*owner, (SocketTuple{6, ip("10.88.0.5"), 40000, ip("198.51.100.2"), 80}));
}

TEST(Conntrack, PublishedPortLeadsToTheContainersServer) {
    // A client 203.0.113.7 connects to the host's port 8080, forwarded to
    // the container's port 80 (DNAT).
    const ConntrackTuple original{6, ip("203.0.113.7"), 50000, ip("198.51.100.1"), 8080};
    const ConntrackTuple reply{6, ip("10.88.0.5"), 80, ip("203.0.113.7"), 50000};
    const SocketTuple seen{6, ip("198.51.100.1"), 8080, ip("203.0.113.7"), 50000};
    const auto owner = untranslated_owner(seen, ConntrackEntry{original, reply});
    ASSERT_TRUE(owner);
    EXPECT_EQ(*owner, (SocketTuple{6, ip("10.88.0.5"), 80, ip("203.0.113.7"), 50000}));
}

TEST(Conntrack, UntranslatedOrUnrelatedEntriesLeadNowhere) {
    const ConntrackTuple o{6, ip("198.51.100.1"), 40000, ip("198.51.100.2"), 80};
    const ConntrackTuple r{6, ip("198.51.100.2"), 80, ip("198.51.100.1"), 40000};
    EXPECT_FALSE(untranslated_owner(SocketTuple{6, ip("198.51.100.1"), 40000, ip("198.51.100.2"), 80},
                                    ConntrackEntry{o, r}));
    EXPECT_FALSE(untranslated_owner(SocketTuple{6, ip("198.51.100.1"), 40001, ip("198.51.100.2"), 80},
                                    ConntrackEntry{kOriginal, kReply}));
}

}  // namespace
}  // namespace sockeye::host
