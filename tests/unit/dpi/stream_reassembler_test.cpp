#include <gtest/gtest.h>

#include <string>

#include "dpi/stream_reassembler.hpp"
#include "unit/dpi/detector_fixture.hpp"

namespace sockeye::dpi {
namespace {

using decode::tcp_flag::kAck;
using decode::tcp_flag::kSyn;
using test::as_bytes;

std::string text(const StreamReassembler& s) {
    return {s.data().begin(), s.data().end()};
}

TEST(StreamReassembler, InOrderAfterSyn) {
    StreamReassembler s;
    EXPECT_FALSE(s.add(1000, kSyn, {}));
    EXPECT_TRUE(s.add(1001, kAck, as_bytes("hello ")));
    EXPECT_TRUE(s.add(1007, kAck, as_bytes("world")));
    EXPECT_EQ(text(s), "hello world");
}

TEST(StreamReassembler, StartsEmptyOnlyForTheFirstInOrderSegment) {
    StreamReassembler s;
    EXPECT_TRUE(s.starts_empty(5000, kAck, as_bytes("GET /")));  // no base yet: it sets it
    EXPECT_FALSE(s.starts_empty(5000, kAck, {}));                // nothing to probe
    s.add(1000, kSyn, {});
    EXPECT_TRUE(s.starts_empty(1001, kAck, as_bytes("hello")));   // right after the SYN
    EXPECT_FALSE(s.starts_empty(1003, kAck, as_bytes("llo")));    // past a gap
    EXPECT_FALSE(s.starts_empty(999, kAck, as_bytes("xxhello")));  // starts before the base
    s.add(1001, kAck, as_bytes("hello"));
    EXPECT_FALSE(s.starts_empty(1006, kAck, as_bytes(" world")));  // bytes already buffered
}

TEST(StreamReassembler, RetransmissionsIgnored) {
    StreamReassembler s;
    s.add(1000, kSyn, {});
    s.add(1001, kAck, as_bytes("abcdef"));
    EXPECT_FALSE(s.add(1001, kAck, as_bytes("XXXXXX")));   // exact retransmission
    EXPECT_TRUE(s.add(1004, kAck, as_bytes("XXXghi")));    // overlap: only new bytes kept
    EXPECT_FALSE(s.add(990, kAck, as_bytes("0123456789")));  // before the stream start
    EXPECT_EQ(text(s), "abcdefghi");
}

TEST(StreamReassembler, OutOfOrderHeldUntilGapFills) {
    StreamReassembler s;
    s.add(0xfffffffe, kSyn, {});  // the stream starts across the sequence wrap
    EXPECT_FALSE(s.add(5, kAck, as_bytes("ghi")));
    EXPECT_FALSE(s.add(2, kAck, as_bytes("def")));
    EXPECT_EQ(s.held_segments(), 2u);
    EXPECT_TRUE(s.add(0xffffffff, kAck, as_bytes("abc")));
    EXPECT_EQ(text(s), "abcdefghi");
    EXPECT_EQ(s.held_segments(), 0u);
}

TEST(StreamReassembler, MidStreamStartsAtFirstSegment) {
    StreamReassembler s;
    EXPECT_FALSE(s.add(500, kAck, {}));  // a bare ACK does not set the start
    EXPECT_TRUE(s.add(7000, kAck, as_bytes("xy")));
    EXPECT_EQ(text(s), "xy");
}

TEST(StreamReassembler, HoldingIsBounded) {
    StreamReassembler s;
    s.add(0, kSyn, {});
    for (std::uint32_t i = 0; i < 20; ++i) s.add(100 + i * 10, kAck, as_bytes("0123456789"));
    EXPECT_EQ(s.held_segments(), StreamReassembler::kMaxHeldSegments);
    std::string big(StreamReassembler::kMaxHeldBytes, 'z');
    StreamReassembler t;
    t.add(0, kSyn, {});
    t.add(100, kAck, as_bytes(big));
    EXPECT_FALSE(t.add(static_cast<std::uint32_t>(101 + big.size()), kAck, as_bytes("q")));
    EXPECT_EQ(t.held_segments(), 1u);  // the second would pass the byte budget
}

TEST(StreamReassembler, CappedPrefix) {
    StreamReassembler s(8);
    s.add(0, kSyn, {});
    EXPECT_TRUE(s.add(1, kAck, as_bytes("0123456789")));
    EXPECT_EQ(text(s), "01234567");
    EXPECT_TRUE(s.full());
    EXPECT_FALSE(s.add(11, kAck, as_bytes("more")));
    s.release();
    EXPECT_EQ(s.buffered_bytes(), 0u);
}

}  // namespace
}  // namespace sockeye::dpi
