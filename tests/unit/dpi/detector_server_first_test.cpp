// When the responder speaks first and no probe knows its bytes: given up at
// once after a seen handshake (a server-first protocol would have matched),
// kept open for the client when the capture started mid-flow.
#include <gtest/gtest.h>

#include <string>

#include "dpi/detector.hpp"
#include "unit/dpi/detector_fixture.hpp"

namespace sockeye::dpi {
namespace {

using decode::tcp_flag::kAck;
using decode::tcp_flag::kSyn;
using test::as_bytes;

constexpr std::string_view kRequest = "GET /a HTTP/1.1\r\nHost: example.org\r\n\r\n";

std::shared_ptr<const snapshot::AppInfo> segment(Detector& d, FlowRef ref, std::string_view data,
                                                 std::uint32_t offset) {
    const std::uint32_t base = ref.from_initiator ? 1001 : 5001;
    return d.inspect(ref, test::frame(true, ref.from_initiator, 8080, as_bytes(data), base + offset));
}

TEST(DetectorServerFirst, UnknownResponderBytesAfterHandshakeGiveUpAtOnce) {
    Detector d;
    const FlowRef c{4, 21, true};
    const FlowRef s{4, 21, false};
    d.inspect(c, test::frame(true, true, 8080, {}, 1000, kSyn));
    d.inspect(s, test::frame(true, false, 8080, {}, 5000, kSyn | kAck));
    EXPECT_EQ(segment(d, s, std::string(600, 'a'), 0), nullptr);
    EXPECT_EQ(d.stats().gave_up_flows, 1u);
    EXPECT_EQ(d.stats().live_states, 0u);
    // The flow is finished: the client's bytes cost a flag check and no probe.
    const auto inspected = d.stats().inspected_packets;
    EXPECT_EQ(segment(d, c, kRequest, 0), nullptr);
    EXPECT_EQ(d.stats().inspected_packets, inspected);
    EXPECT_EQ(d.stats().classified_flows, 0u);
}

TEST(DetectorServerFirst, KnownServerGreetingAfterHandshakeStillClassifies) {
    Detector d;
    const FlowRef c{4, 22, true};
    const FlowRef s{4, 22, false};
    d.inspect(c, test::frame(true, true, 8080, {}, 1000, kSyn));
    d.inspect(s, test::frame(true, false, 8080, {}, 5000, kSyn | kAck));
    const auto info = segment(d, s, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", 0);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->protocol, "SSH");
    EXPECT_EQ(d.stats().gave_up_flows, 0u);
}

TEST(DetectorServerFirst, MidFlowCaptureWaitsForTheClientRequest) {
    // No SYN: the first payload seen may be the tail of a response, and the
    // client's next request (HTTP keep-alive) still names the protocol.
    Detector d;
    const FlowRef c{4, 23, true};
    const FlowRef s{4, 23, false};
    EXPECT_EQ(segment(d, s, std::string(600, 'a'), 0), nullptr);
    EXPECT_EQ(d.stats().gave_up_flows, 0u);
    const auto info = segment(d, c, kRequest, 0);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->protocol, "HTTP");
    EXPECT_EQ(info->domain, "example.org");
}

}  // namespace
}  // namespace sockeye::dpi
