#include "capture/byte_input.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace sockeye::capture {
namespace {

std::vector<std::uint8_t> pattern(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
    return v;
}

// A pipe whose writer sends `bytes` in small pieces from another thread, so
// reads come back short, as from a real pipe.
class PipeWriter {
public:
    explicit PipeWriter(const std::vector<std::uint8_t>& bytes) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
        read_fd = fds[0];
        writer_ = std::thread([fd = fds[1], &bytes] {
            for (std::size_t done = 0; done < bytes.size();) {
                const std::size_t n = std::min<std::size_t>(3000, bytes.size() - done);
                const ssize_t w = ::write(fd, bytes.data() + done, n);
                if (w <= 0) break;
                done += static_cast<std::size_t>(w);
            }
            ::close(fd);
        });
    }
    ~PipeWriter() { writer_.join(); }
    PipeWriter(const PipeWriter&) = delete;
    PipeWriter& operator=(const PipeWriter&) = delete;
    int read_fd = -1;

private:
    std::thread writer_;
};

TEST(ByteInput, MemoryTakeIsAViewOfTheBytes) {
    const auto bytes = pattern(100);
    MemoryInput input(bytes);
    const auto a = input.take(10);
    EXPECT_EQ(a.data(), bytes.data());
    EXPECT_EQ(a.size(), 10u);
    const auto b = input.take(1000);
    EXPECT_EQ(b.data(), bytes.data() + 10);
    EXPECT_EQ(b.size(), 90u);
    EXPECT_EQ(input.position(), 100u);
    EXPECT_TRUE(input.take(1).empty());
}

TEST(ByteInput, FdTakeAcrossBufferBoundariesAndPastTheBufferSize) {
    // Records straddle the 1 MiB buffer again and again, and one is larger
    // than the buffer: every byte must come out in order.
    const auto bytes = pattern((std::size_t{3} << 20) + 12345);
    PipeWriter pipe(bytes);
    FdInput input(pipe.read_fd, nullptr);
    std::size_t done = 0;
    const std::size_t sizes[] = {16, 1514, 7, (std::size_t{1} << 20) + 99, 65536, 3};
    for (std::size_t i = 0; done < bytes.size(); ++i) {
        const std::size_t want = sizes[i % std::size(sizes)];
        const auto got = input.take(want);
        ASSERT_EQ(got.size(), std::min(want, bytes.size() - done)) << "take " << i;
        ASSERT_TRUE(std::equal(got.begin(), got.end(), bytes.begin() + static_cast<std::ptrdiff_t>(done)))
            << "take " << i << " at " << done;
        done += got.size();
        ASSERT_EQ(input.position(), done);
    }
    EXPECT_TRUE(input.take(1).empty());
    EXPECT_EQ(input.error(), "");
}

TEST(ByteInput, FdPeekThenTakeSeesTheSameBytes) {
    const auto bytes = pattern(5000);
    PipeWriter pipe(bytes);
    FdInput input(pipe.read_fd, nullptr);
    const auto head = input.peek(24);
    ASSERT_EQ(head.size(), 24u);
    EXPECT_EQ(std::vector<std::uint8_t>(head.begin(), head.end()),
              std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 24));
    const auto all = input.take(5000);
    ASSERT_EQ(all.size(), 5000u);
    EXPECT_TRUE(std::equal(all.begin(), all.end(), bytes.begin()));
}

}  // namespace
}  // namespace sockeye::capture
