// Reassembly of one QUIC CRYPTO stream (the TLS handshake bytes of one
// packet number space) from frames that may arrive out of order, overlap,
// repeat, and be spread over packets and coalesced packets. Bounded: bytes
// past kMaxBytes are dropped, and at most kMaxRanges disjoint pieces are
// held, so a hostile peer cannot grow a flow's memory.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sockeye::dpi::quic {

class CryptoStream {
public:
    static constexpr std::size_t kMaxBytes = 16 * 1024;
    static constexpr std::size_t kMaxRanges = 16;

    enum class AddStatus : std::uint8_t {
        ok,
        clipped,          // part or all of the data lay past kMaxBytes
        too_fragmented,   // would need more than kMaxRanges pieces; dropped
    };

    AddStatus add(std::uint64_t offset, std::span<const std::uint8_t> data);

    // The bytes received without a gap from offset 0.
    [[nodiscard]] std::span<const std::uint8_t> contiguous() const;
    [[nodiscard]] std::size_t range_count() const { return range_count_; }
    [[nodiscard]] std::size_t capacity() const { return buffer_.capacity(); }

    // Frees the buffer (once the ClientHello is parsed nothing more is needed).
    void release();

private:
    struct Range {
        std::size_t begin = 0;
        std::size_t end = 0;  // exclusive
    };
    bool insert_range(std::size_t begin, std::size_t end);

    std::vector<std::uint8_t> buffer_;
    std::array<Range, kMaxRanges> ranges_{};  // sorted, disjoint, not touching
    std::size_t range_count_ = 0;
};

}  // namespace sockeye::dpi::quic
