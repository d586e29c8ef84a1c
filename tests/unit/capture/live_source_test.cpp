// A live capture on a quiet interface: next() must come back on its own
// (the caller ticks flows and draws the screen between calls), deliver a
// frame once one arrives, and return at once when interrupted. Each case
// runs in a forked child with a network namespace of its own, so `lo` there
// carries only the test's traffic. A next() that never returns ends the
// child by alarm() and fails the test; nothing here measures time.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "capture/live_source.hpp"
#include "unit/sandbox/child.hpp"
#include "unit/support/private_netns.hpp"

namespace sockeye::capture {
namespace {

using sandbox::testing::ChildResult;
using sandbox::testing::run_in_child;

#define SKIP_UNLESS_ROOT()                                                     \
    if (::geteuid() != 0) GTEST_SKIP() << "a capture in a new namespace needs root"

void expect_child_passed(const ChildResult& r) {
    EXPECT_TRUE(r.finished) << "the child did not finish (exit " << r.exit_code << ", signal "
                            << r.signal << "; SIGALRM means next() never returned)";
    EXPECT_EQ(r.failures, "");
}

// In a namespace of its own (call from the child): `lo` there is quiet
// until the test sends something.
std::unique_ptr<LiveSource> open_private_lo(int timeout_ms, std::string& error, bool immediate = true) {
    if (error = sockeye::testing::enter_private_netns(); !error.empty()) return nullptr;
    LiveOptions options;
    options.interface = "lo";
    options.timeout_ms = timeout_ms;
    options.immediate = immediate;
    options.buffer_bytes = 1 << 20;
    auto opened = LiveSource::open(options);
    if (!opened) {
        error = opened.error().message;
        return nullptr;
    }
    return std::move(opened).value();
}

bool send_udp_to_loopback() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(9);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool sent = ::sendto(fd, "x", 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof(to)) == 1;
    ::close(fd);
    return sent;
}

TEST(LiveSource, QuietInterfaceReturnsTimeoutThenTheFrameThatArrives) {
    SKIP_UNLESS_ROOT();
    expect_child_passed(run_in_child([] {
        std::string error;
        auto source = open_private_lo(50, error);
        if (!source) return "open: " + error;
        core::RawFrame frame;
        std::string out;
        // Nothing was sent: every call ends in a timeout, none blocks.
        for (int i = 0; i < 3; ++i) {
            const NextStatus status = source->next(frame);
            if (status != NextStatus::timeout)
                out += "quiet call " + std::to_string(i) + ": status " +
                       std::to_string(static_cast<int>(status)) + ", want timeout\n";
        }
        if (!send_udp_to_loopback()) return out + "sendto failed\n";
        NextStatus status = NextStatus::timeout;
        for (int i = 0; i < 100 && status == NextStatus::timeout; ++i) status = source->next(frame);
        if (status != NextStatus::frame) out += "the datagram sent to lo was not delivered\n";
        // The frame is the datagram: Ethernet (lo), IPv4, UDP to port 9.
        else if (const auto& b = frame.bytes; b.size() < 14 + 20 + 8 + 1 || b[12] != 0x08 ||
                 b[13] != 0x00 || b[14 + 9] != 17 || b[14 + 20 + 2] != 0 || b[14 + 20 + 3] != 9)
            out += "the frame is not the UDP datagram to port 9\n";
        return out;
    }));
}

TEST(LiveSource, InterruptEndsAWaitAtOnce) {
    SKIP_UNLESS_ROOT();
    expect_child_passed(run_in_child([] {
        std::string error;
        // A timeout far beyond the child's 20 s alarm: only interrupt() can
        // end this wait in time.
        auto source = open_private_lo(600'000, error);
        if (!source) return "open: " + error;
        std::thread interrupter([&source] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            source->interrupt();
        });
        core::RawFrame frame;
        const NextStatus status = source->next(frame);
        interrupter.join();
        std::string out;
        if (status != NextStatus::end)
            out += "status " + std::to_string(static_cast<int>(status)) + " after interrupt, want end\n";
        // Once interrupted the source stays ended.
        if (source->next(frame) != NextStatus::end) out += "a later next() did not say end\n";
        return out;
    }));
}

// Reads until `want` frames came, `max_calls` next() calls were made or
// 20 timeouts came in a row (a second at 50 ms: what was sent is lost).
int read_frames(LiveSource& source, int want, int max_calls) {
    core::RawFrame frame;
    int got = 0;
    int quiet = 0;
    for (int i = 0; i < max_calls && got < want && quiet < 20; ++i) {
        const NextStatus status = source.next(frame);
        if (status == NextStatus::frame) {
            ++got;
            quiet = 0;
        } else if (status == NextStatus::timeout) {
            ++quiet;
        } else {
            break;
        }
    }
    return got;
}

TEST(LiveSource, ImmediateModeHasAFrameReadyAtOnce) {
    SKIP_UNLESS_ROOT();
    expect_child_passed(run_in_child([] {
        std::string error;
        auto source = open_private_lo(50, error, true);
        if (!source) return "open: " + error;
        if (!send_udp_to_loopback()) return std::string("sendto failed\n");
        core::RawFrame frame;
        std::string out;
        // Already in the ring when sendto() returns: no wait for it.
        if (source->next(frame) != NextStatus::frame) out += "the datagram was not there at once\n";
        if (source->waits() != 0) out += "waited " + std::to_string(source->waits()) + " times\n";
        return out;
    }));
}

TEST(LiveSource, BlockModeDeliversAfterTheBlockTimeoutAndBatchesWakeUps) {
    SKIP_UNLESS_ROOT();
    expect_child_passed(run_in_child([] {
        std::string error;
        auto source = open_private_lo(50, error, false);
        if (!source) return "open: " + error;
        std::string out;
        if (source->immediate()) out += "the source says immediate\n";
        // Quiet: timeouts, as in immediate mode.
        core::RawFrame frame;
        if (source->next(frame) != NextStatus::timeout) out += "a quiet interface gave no timeout\n";
        // One datagram: held in its part-filled block until the block
        // timeout hands it over, so the reader waits for it at least once.
        const std::uint64_t quiet_waits = source->waits();
        if (!send_udp_to_loopback()) return out + "sendto failed\n";
        if (read_frames(*source, 1, 100) != 1) out += "the datagram sent to lo was not delivered\n";
        if (source->waits() == quiet_waits) out += "the frame came without a wait: not a block ring\n";
        // A burst: delivered whole, a block (or a few) per wake-up rather
        // than one wake-up per frame or two.
        constexpr int kBurst = 500;
        for (int i = 0; i < kBurst; ++i) {
            if (!send_udp_to_loopback()) return out + "sendto failed\n";
        }
        const std::uint64_t before = source->waits();
        const int got = read_frames(*source, kBurst, 1000);
        if (got != kBurst) out += "burst: " + std::to_string(got) + " of " + std::to_string(kBurst) + " frames\n";
        if (source->waits() - before > 10)
            out += "burst: " + std::to_string(source->waits() - before) + " wake-ups\n";
        return out;
    }));
}

}  // namespace
}  // namespace sockeye::capture
