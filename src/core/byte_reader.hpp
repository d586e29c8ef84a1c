// Bounds-checked, big-endian-first reader over untrusted bytes.
//
// Every parser in sockeye reads wire data through this class and nothing
// else (docs/ARCHITECTURE.md, "Rules the code keeps"). A read past the end
// never touches memory: it returns zero, marks the reader as failed and
// leaves the cursor where it was, so a parser can read a whole header and
// check `ok()` once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace sockeye::core {

class ByteReader {
public:
    constexpr ByteReader() = default;
    constexpr explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    [[nodiscard]] constexpr bool ok() const { return !failed_; }
    [[nodiscard]] constexpr std::size_t offset() const { return pos_; }
    [[nodiscard]] constexpr std::size_t remaining() const { return bytes_.size() - pos_; }
    [[nodiscard]] constexpr bool empty() const { return remaining() == 0; }
    [[nodiscard]] constexpr bool has(std::size_t n) const { return !failed_ && n <= remaining(); }

    constexpr std::uint8_t u8() {
        if (!has(1)) return fail_u8();
        return bytes_[pos_++];
    }
    constexpr std::uint16_t u16_be() {
        if (!has(2)) return static_cast<std::uint16_t>(fail_u8());
        const auto v = static_cast<std::uint16_t>((bytes_[pos_] << 8) | bytes_[pos_ + 1]);
        pos_ += 2;
        return v;
    }
    constexpr std::uint16_t u16_le() {
        if (!has(2)) return static_cast<std::uint16_t>(fail_u8());
        const auto v = static_cast<std::uint16_t>(bytes_[pos_] | (bytes_[pos_ + 1] << 8));
        pos_ += 2;
        return v;
    }
    constexpr std::uint32_t u24_be() {
        if (!has(3)) return fail_u8();
        const std::uint32_t v = (std::uint32_t{bytes_[pos_]} << 16) |
                                (std::uint32_t{bytes_[pos_ + 1]} << 8) | bytes_[pos_ + 2];
        pos_ += 3;
        return v;
    }
    constexpr std::uint32_t u32_be() {
        if (!has(4)) return fail_u8();
        const std::uint32_t v = (std::uint32_t{bytes_[pos_]} << 24) |
                                (std::uint32_t{bytes_[pos_ + 1]} << 16) |
                                (std::uint32_t{bytes_[pos_ + 2]} << 8) | bytes_[pos_ + 3];
        pos_ += 4;
        return v;
    }
    constexpr std::uint32_t u32_le() {
        if (!has(4)) return fail_u8();
        const std::uint32_t v = (std::uint32_t{bytes_[pos_ + 3]} << 24) |
                                (std::uint32_t{bytes_[pos_ + 2]} << 16) |
                                (std::uint32_t{bytes_[pos_ + 1]} << 8) | bytes_[pos_];
        pos_ += 4;
        return v;
    }
    constexpr std::uint64_t u64_be() {
        if (!has(8)) return fail_u8();
        const std::uint64_t hi = u32_be();
        return (hi << 32) | u32_be();
    }

    // The next n bytes as a span into the underlying buffer (valid only as long
    // as that buffer is). An empty span and the failed state when short.
    constexpr std::span<const std::uint8_t> take(std::size_t n) {
        if (!has(n)) {
            failed_ = true;
            return {};
        }
        auto s = bytes_.subspan(pos_, n);
        pos_ += n;
        return s;
    }
    constexpr bool skip(std::size_t n) {
        if (!has(n)) {
            failed_ = true;
            return false;
        }
        pos_ += n;
        return true;
    }
    // Everything not yet read; never fails.
    [[nodiscard]] constexpr std::span<const std::uint8_t> rest() const {
        return bytes_.subspan(pos_);
    }
    // Look ahead without consuming; zero when out of range (does not fail).
    [[nodiscard]] constexpr std::uint8_t peek_u8(std::size_t ahead = 0) const {
        return ahead < remaining() ? bytes_[pos_ + ahead] : std::uint8_t{0};
    }

private:
    constexpr std::uint8_t fail_u8() {
        failed_ = true;
        return 0;
    }

    std::span<const std::uint8_t> bytes_{};
    std::size_t pos_ = 0;
    bool failed_ = false;
};

}  // namespace sockeye::core
