#include "capture/byte_input.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sockeye::capture {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

}  // namespace

std::size_t MemoryInput::read(std::span<std::uint8_t> dst) {
    const std::size_t n = std::min(dst.size(), bytes_.size() - pos_);
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(pos_), n, dst.begin());
    pos_ += n;
    return n;
}

std::span<const std::uint8_t> MemoryInput::take(std::size_t n) {
    n = std::min(n, bytes_.size() - pos_);
    const auto view = bytes_.subspan(pos_, n);
    pos_ += n;
    return view;
}

FdInput::FdInput(int fd, const std::atomic<bool>* stop) : fd_(fd), stop_(stop) {}

int FdInput::release_rewound() {
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) return -1;
    if (::lseek(fd_, 0, SEEK_SET) != 0) return -1;
    const int fd = fd_;
    fd_ = -1;
    at_end_ = true;
    begin_ = end_ = 0;
    return fd;
}

FdInput::~FdInput() {
    if (fd_ >= 0) ::close(fd_);
}

bool FdInput::fill() {
    if (at_end_) return false;
    if (buffer_.empty()) buffer_.resize(kBufferBytes);
    if (begin_ == end_) {
        begin_ = end_ = 0;
    } else if (end_ == buffer_.size()) {
        // Only peek() asks for more while bytes are buffered (take() makes
        // room itself): move them down.
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    for (;;) {
        const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
        if (n > 0) {
            end_ += static_cast<std::size_t>(n);
            return true;
        }
        if (n == 0) break;
        if (errno == EINTR && (stop_ == nullptr || !stop_->load())) continue;
        if (errno != EINTR) error_ = std::strerror(errno);
        break;
    }
    at_end_ = true;
    return false;
}

std::span<const std::uint8_t> FdInput::peek(std::size_t n) {
    n = std::min(n, kBufferBytes);
    while (end_ - begin_ < n && fill()) {
    }
    return {buffer_.data() + begin_, std::min(n, end_ - begin_)};
}

std::size_t FdInput::read(std::span<std::uint8_t> dst) {
    std::size_t done = 0;
    while (done < dst.size()) {
        if (begin_ == end_ && !fill()) break;
        const std::size_t n = std::min(dst.size() - done, end_ - begin_);
        std::memcpy(dst.data() + done, buffer_.data() + begin_, n);
        begin_ += n;
        done += n;
    }
    position_ += done;
    return done;
}

void FdInput::make_room(std::size_t n) {
    // Room for all `n` bytes from begin_ on: unread bytes move to the front
    // (at most one record's worth, once per buffer), and the buffer grows
    // only for a record larger than it.
    if (buffer_.empty()) buffer_.resize(kBufferBytes);
    if (buffer_.size() - begin_ < n) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
        if (buffer_.size() < n) buffer_.resize(n);
    }
    while (end_ - begin_ < n && fill()) {
    }
}

std::span<const std::uint8_t> FdInput::take(std::size_t n) {
    // Once per buffer, out of line: the path every record takes saves no
    // registers.
    if (end_ - begin_ < n) [[unlikely]] make_room(n);
    const std::size_t got = std::min(n, end_ - begin_);
    const std::span<const std::uint8_t> view{buffer_.data() + begin_, got};
    begin_ += got;
    position_ += got;
    return view;
}

}  // namespace sockeye::capture
