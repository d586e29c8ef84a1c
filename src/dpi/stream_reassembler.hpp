// One direction of a TCP stream, as an in-order byte prefix for the probes.
//
// Segments are placed by sequence number relative to the stream's first byte
// (SYN + 1 when the SYN was seen, else the first segment's sequence number).
// Retransmitted bytes are ignored; a segment past a gap is held (a few
// segments, a few KiB) until the gap fills, dropped when the holding space is
// full. Everything is capped at `cap` bytes: probes only need a prefix.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sockeye::dpi {

class StreamReassembler {
public:
    static constexpr std::size_t kMaxHeldSegments = 4;
    static constexpr std::size_t kMaxHeldBytes = 8192;

    explicit StreamReassembler(std::size_t cap = 16'384) : cap_(cap) {}

    // Feeds one segment (flags as in decode::tcp_flag). Returns true when the
    // in-order prefix grew.
    bool add(std::uint32_t seq, std::uint8_t flags, std::span<const std::uint8_t> payload);

    // Whether add() of this segment would make it the whole in-order prefix:
    // nothing is buffered yet and it starts at the stream's first byte (or
    // sets it). The detector then probes the segment in place and copies it
    // only when the probes want more.
    [[nodiscard]] bool starts_empty(std::uint32_t seq, std::uint8_t flags,
                                    std::span<const std::uint8_t> payload) const;

    [[nodiscard]] std::span<const std::uint8_t> data() const { return data_; }
    [[nodiscard]] bool full() const { return data_.size() >= cap_; }
    [[nodiscard]] std::size_t held_segments() const { return held_count_; }
    // Bytes of memory the buffers hold (for the detector's memory budget).
    [[nodiscard]] std::size_t buffered_bytes() const;
    // Frees the buffers; the stream stays at its current position.
    void release();

private:
    struct Held {
        std::uint32_t offset = 0;  // relative to the stream start
        std::vector<std::uint8_t> bytes;
    };

    void append_at(std::uint32_t offset, std::span<const std::uint8_t> bytes);
    void hold(std::uint32_t offset, std::span<const std::uint8_t> bytes);
    void drain_held();

    std::size_t cap_;
    bool have_base_ = false;
    std::uint32_t base_ = 0;  // sequence number of stream byte 0
    std::vector<std::uint8_t> data_;
    std::array<Held, kMaxHeldSegments> held_{};
    std::size_t held_count_ = 0;
    std::size_t held_bytes_ = 0;
};

}  // namespace sockeye::dpi
