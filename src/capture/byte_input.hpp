// A capture file's bytes as a sequential stream: a file, a pipe or memory.
// Nothing seeks, so `-r -` and `-r <(...)` read like regular files.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sockeye::capture {

class ByteInput {
public:
    virtual ~ByteInput() = default;
    ByteInput() = default;
    ByteInput(const ByteInput&) = delete;
    ByteInput& operator=(const ByteInput&) = delete;

    // Copies up to dst.size() bytes; fewer only at the end of the stream or
    // on an error (then error() is set). Returns how many.
    virtual std::size_t read(std::span<std::uint8_t> dst) = 0;
    // The next `n` bytes, consumed, as a view of the input's own memory (no
    // copy: record readers hand frames out in place). Fewer only at the end
    // of the stream or on an error. Valid until the next call on the input.
    virtual std::span<const std::uint8_t> take(std::size_t n) = 0;
    // The bytes take() can hand out now without reading or moving anything
    // (so views taken before stay valid); empty when unknown.
    [[nodiscard]] virtual std::span<const std::uint8_t> buffered() const { return {}; }
    // Bytes handed out by read() so far: the offset in the file.
    [[nodiscard]] virtual std::uint64_t position() const = 0;
    // Why the last read() came up short although the stream had not ended.
    [[nodiscard]] virtual const std::string& error() const = 0;
};

// Bytes in memory (tests, fuzzing).
class MemoryInput final : public ByteInput {
public:
    explicit MemoryInput(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
    std::size_t read(std::span<std::uint8_t> dst) override;
    std::span<const std::uint8_t> take(std::size_t n) override;
    [[nodiscard]] std::span<const std::uint8_t> buffered() const override {
        return bytes_.subspan(pos_);
    }
    [[nodiscard]] std::uint64_t position() const override { return pos_; }
    [[nodiscard]] const std::string& error() const override { return error_; }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t pos_ = 0;
    std::string error_;  // memory never fails
};

// A file descriptor, read through a large buffer (one read() per MiB, not
// per block), with a look at the first bytes before anything is consumed.
class FdInput final : public ByteInput {
public:
    // Takes ownership of `fd`. `stop`, when set, ends a read() that a signal
    // interrupted (a Ctrl-C while a pipe is quiet) as the end of the stream.
    FdInput(int fd, const std::atomic<bool>* stop);
    ~FdInput() override;

    // The next `n` bytes without consuming them; fewer at the end of the
    // stream or on an error.
    std::span<const std::uint8_t> peek(std::size_t n);
    std::size_t read(std::span<std::uint8_t> dst) override;
    // The buffer grows when `n` exceeds it (a record larger than a MiB).
    std::span<const std::uint8_t> take(std::size_t n) override;
    [[nodiscard]] std::span<const std::uint8_t> buffered() const override {
        return {buffer_.data() + begin_, end_ - begin_};
    }
    [[nodiscard]] std::uint64_t position() const override { return position_; }
    [[nodiscard]] const std::string& error() const override { return error_; }

    // A regular file, rewound to its start and handed over (the input is
    // spent); -1, and the input untouched, for a pipe or anything else
    // that cannot seek back over what was already read.
    int release_rewound();

private:
    // Appends what one read() gives to the buffer; false at the end or on error.
    bool fill();
    // Reads until `n` bytes are buffered from begin_ on, or the stream ends.
    [[gnu::noinline]] void make_room(std::size_t n);

    int fd_;
    const std::atomic<bool>* stop_;
    std::vector<std::uint8_t> buffer_;
    std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
    std::size_t end_ = 0;
    std::uint64_t position_ = 0;
    bool at_end_ = false;
    std::string error_;
};

}  // namespace sockeye::capture
