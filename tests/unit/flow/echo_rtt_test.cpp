// Ping's round trip: each reply to one of the requester's two latest
// requests is a sample of its direction, smoothed as RFC 6298 says.
#include <gtest/gtest.h>

#include "flow/rtt.hpp"

namespace sockeye::flow {
namespace {

constexpr std::int64_t kMs = 1'000'000;

TEST(EchoRtt, AReplyTimesItsRequest) {
    RttTracker rtt;
    EXPECT_EQ(rtt.echo_rtt_ns(Side::a), -1);
    rtt.on_echo_request(Side::a, 1, 1000 * kMs);
    rtt.on_echo_reply(Side::b, 1, 1020 * kMs);
    EXPECT_EQ(rtt.echo_rtt_ns(Side::a), 20 * kMs);
    // Smoothed: (7 * 20 + 28) / 8 = 21 ms.
    rtt.on_echo_request(Side::a, 2, 2000 * kMs);
    rtt.on_echo_reply(Side::b, 2, 2028 * kMs);
    EXPECT_EQ(rtt.echo_rtt_ns(Side::a), 21 * kMs);
    // Asked from the other side's point of view: the only samples there are.
    EXPECT_EQ(rtt.echo_rtt_ns(Side::b), 21 * kMs);
}

TEST(EchoRtt, AReplyAfterTheNextRequestStillCounts) {
    RttTracker rtt;
    rtt.on_echo_request(Side::a, 1, 1000 * kMs);
    rtt.on_echo_request(Side::a, 2, 2000 * kMs);
    rtt.on_echo_reply(Side::b, 1, 2500 * kMs);  // 1.5 s for seq 1
    EXPECT_EQ(rtt.echo_rtt_ns(Side::a), 1500 * kMs);
}

TEST(EchoRtt, UnknownLateAndDuplicateRepliesAreNotTimed) {
    RttTracker rtt;
    rtt.on_echo_reply(Side::b, 7, 10 * kMs);  // no request seen
    rtt.on_echo_request(Side::a, 1, 1000 * kMs);
    rtt.on_echo_request(Side::a, 2, 2000 * kMs);
    rtt.on_echo_request(Side::a, 3, 3000 * kMs);
    rtt.on_echo_reply(Side::b, 1, 3100 * kMs);  // older than the two latest
    EXPECT_EQ(rtt.echo_rtt_ns(Side::a), -1);
    rtt.on_echo_reply(Side::b, 3, 3010 * kMs);
    rtt.on_echo_reply(Side::b, 3, 3900 * kMs);  // a duplicate
    EXPECT_EQ(rtt.echo_rtt_ns(Side::a), 10 * kMs);
    // A "reply" from the requester itself is not one.
    rtt.on_echo_request(Side::a, 4, 4000 * kMs);
    rtt.on_echo_reply(Side::a, 4, 4500 * kMs);
    EXPECT_EQ(rtt.echo_rtt_ns(Side::a), 10 * kMs);
}

}  // namespace
}  // namespace sockeye::flow
