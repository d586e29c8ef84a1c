#include "flow/seq_tracker.hpp"

#include <gtest/gtest.h>

namespace sockeye::flow {
namespace {

namespace flag = decode::tcp_flag;

decode::TcpInfo seg(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
                    std::uint16_t window = 1000) {
    decode::TcpInfo t;
    t.flags = flags;
    t.seq = seq;
    t.ack = ack;
    t.window = window;
    return t;
}

constexpr std::uint8_t kAck = flag::kAck;
constexpr std::uint8_t kData = flag::kAck | flag::kPsh;

TEST(SeqArithmetic, WrapsAround) {
    EXPECT_TRUE(seq_lt(0xFFFF'FFF0U, 0x10U));
    EXPECT_TRUE(seq_gt(0x10U, 0xFFFF'FFF0U));
    EXPECT_TRUE(seq_le(5U, 5U));
    EXPECT_FALSE(seq_lt(5U, 5U));
    EXPECT_TRUE(seq_ge(0U, 0xFFFF'FFFFU));
}

TEST(SeqTracker, InOrderDataIsNew) {
    SeqTracker a;
    SeqTracker b;
    EXPECT_EQ(a.on_segment(seg(flag::kSyn, 100, 0), 0, b), verdict::kNewData);
    EXPECT_EQ(a.next_seq(), 101U);
    EXPECT_EQ(a.on_segment(seg(kData, 101, 1), 100, b), verdict::kNewData);
    EXPECT_EQ(a.on_segment(seg(kData, 201, 1), 100, b), verdict::kNewData);
    EXPECT_EQ(a.next_seq(), 301U);
}

TEST(SeqTracker, RetransmissionIsEntirelyBelowHighest) {
    SeqTracker a;
    SeqTracker b;
    a.on_segment(seg(kData, 1000, 1), 100, b);
    a.on_segment(seg(kData, 1100, 1), 100, b);
    EXPECT_EQ(a.on_segment(seg(kData, 1000, 1), 100, b), verdict::kRetransmission);
    EXPECT_EQ(a.on_segment(seg(kData, 1100, 1), 100, b), verdict::kRetransmission);
    // Overlapping old and new bytes carries new data: not a retransmission.
    EXPECT_EQ(a.on_segment(seg(kData, 1150, 1), 100, b), verdict::kNewData);
    // A retransmitted SYN.
    SeqTracker c;
    c.on_segment(seg(flag::kSyn, 7, 0), 0, b);
    EXPECT_EQ(c.on_segment(seg(flag::kSyn, 7, 0), 0, b), verdict::kRetransmission);
}

TEST(SeqTracker, GapCountsOnceAndItsFillIsNotARetransmission) {
    SeqTracker a;
    SeqTracker b;
    a.on_segment(seg(kData, 1000, 1), 100, b);
    // 1100..1200 missing: the next segment jumps ahead.
    EXPECT_EQ(a.on_segment(seg(kData, 1200, 1), 100, b), verdict::kOutOfOrder | verdict::kNewData);
    EXPECT_EQ(a.on_segment(seg(kData, 1300, 1), 100, b), verdict::kNewData);
    // The late segment fills the hole.
    EXPECT_EQ(a.on_segment(seg(kData, 1100, 1), 100, b), 0);
    // Sent again now that the hole is closed: a retransmission.
    EXPECT_EQ(a.on_segment(seg(kData, 1100, 1), 100, b), verdict::kRetransmission);
}

TEST(SeqTracker, HoleFilledInPieces) {
    SeqTracker a;
    SeqTracker b;
    a.on_segment(seg(kData, 0, 1), 100, b);
    a.on_segment(seg(kData, 300, 1), 100, b);  // hole 100..300
    EXPECT_EQ(a.on_segment(seg(kData, 100, 1), 100, b), 0);
    EXPECT_EQ(a.on_segment(seg(kData, 200, 1), 100, b), 0);
    EXPECT_EQ(a.on_segment(seg(kData, 200, 1), 100, b), verdict::kRetransmission);
}

TEST(SeqTracker, DuplicateAcksNeedOutstandingDataAndSameWindow) {
    SeqTracker client;
    SeqTracker server;
    client.on_segment(seg(kData, 1000, 1), 100, server);  // client has data in flight to 1100
    client.on_segment(seg(kData, 1100, 1), 100, server);  // ... to 1200
    EXPECT_EQ(server.on_segment(seg(kAck, 1, 1100), 0, client), 0);  // first ack: new
    EXPECT_EQ(server.on_segment(seg(kAck, 1, 1100), 0, client), verdict::kDuplicateAck);
    EXPECT_EQ(server.on_segment(seg(kAck, 1, 1100), 0, client), verdict::kDuplicateAck);
    // A window change is a window update, not a duplicate.
    EXPECT_EQ(server.on_segment(seg(kAck, 1, 1100, 2000), 0, client), 0);
    // Everything acked: repeats are not duplicates any more.
    EXPECT_EQ(server.on_segment(seg(kAck, 1, 1200, 2000), 0, client), 0);
    EXPECT_EQ(server.on_segment(seg(kAck, 1, 1200, 2000), 0, client), 0);
}

TEST(SeqTracker, DataSegmentsAreNeverDuplicateAcks) {
    SeqTracker client;
    SeqTracker server;
    client.on_segment(seg(kData, 1000, 1), 100, server);
    server.on_segment(seg(kAck, 1, 1000), 0, client);
    EXPECT_EQ(server.on_segment(seg(kData, 1, 1000), 50, client), verdict::kNewData);
    EXPECT_EQ(server.on_segment(seg(kAck | flag::kFin, 51, 1000), 0, client), verdict::kNewData);
}

TEST(SeqTracker, WrapAround) {
    SeqTracker a;
    SeqTracker b;
    EXPECT_EQ(a.on_segment(seg(flag::kSyn, 0xFFFF'FF00U, 0), 0, b), verdict::kNewData);
    EXPECT_EQ(a.on_segment(seg(kData, 0xFFFF'FF01U, 1), 0x100, b), verdict::kNewData);
    EXPECT_EQ(a.next_seq(), 1U);
    EXPECT_EQ(a.on_segment(seg(kData, 1, 1), 100, b), verdict::kNewData);
    EXPECT_EQ(a.on_segment(seg(kData, 0xFFFF'FF01U, 1), 0x100, b), verdict::kRetransmission);
    EXPECT_EQ(a.on_segment(seg(kData, 301, 1), 100, b), verdict::kOutOfOrder | verdict::kNewData);
    // Duplicate ACKs across the wrap: 0xFFFFFFF0 is below next_seq() 401.
    EXPECT_EQ(b.on_segment(seg(kAck, 1, 0xFFFF'FFF0U), 0, a), 0);
    EXPECT_EQ(b.on_segment(seg(kAck, 1, 0xFFFF'FFF0U), 0, a), verdict::kDuplicateAck);
}

}  // namespace
}  // namespace sockeye::flow
