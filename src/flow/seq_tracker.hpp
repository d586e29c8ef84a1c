// Per-direction TCP sequence analysis: retransmissions, out-of-order
// segments and duplicate ACKs, in 32-bit serial arithmetic (RFC 1982) so a
// flow that wraps its sequence space keeps being classified correctly.
#pragma once

#include <cstdint>

#include "decode/decoded_frame.hpp"

namespace sockeye::flow {

// a < b in sequence space: true when b is less than 2^31 ahead of a.
constexpr bool seq_lt(std::uint32_t a, std::uint32_t b) {
    return static_cast<std::int32_t>(a - b) < 0;
}
constexpr bool seq_le(std::uint32_t a, std::uint32_t b) { return a == b || seq_lt(a, b); }
constexpr bool seq_gt(std::uint32_t a, std::uint32_t b) { return seq_lt(b, a); }
constexpr bool seq_ge(std::uint32_t a, std::uint32_t b) { return seq_le(b, a); }

// Sequence space a segment occupies: payload plus one for SYN and for FIN.
std::uint32_t segment_length(const decode::TcpInfo& tcp, std::uint32_t payload_len);

namespace verdict {
inline constexpr std::uint8_t kRetransmission = 0x01;
inline constexpr std::uint8_t kOutOfOrder = 0x02;
inline constexpr std::uint8_t kNewData = 0x04;  // moved the highest sequence forward
inline constexpr std::uint8_t kDuplicateAck = 0x08;
}  // namespace verdict

// The state of one direction (the segments one endpoint sends).
class SeqTracker {
public:
    // Classifies a segment sent in this direction; `peer` is the opposite
    // direction (its highest sequence tells whether data is outstanding for
    // the duplicate-ACK rule). Returns verdict bits.
    std::uint8_t on_segment(const decode::TcpInfo& tcp, std::uint32_t payload_len,
                            const SeqTracker& peer);

    [[nodiscard]] bool started() const { return (bits_ & kStarted) != 0; }
    // One past the highest sequence number sent so far.
    [[nodiscard]] std::uint32_t next_seq() const { return next_; }

private:
    std::uint8_t classify_data(std::uint32_t seq, std::uint32_t len);
    void fill_hole(std::uint32_t seq, std::uint32_t end);
    bool is_duplicate_ack(const decode::TcpInfo& tcp, std::uint32_t payload_len,
                          const SeqTracker& peer) const;

    static constexpr std::uint8_t kStarted = 0x01;
    static constexpr std::uint8_t kHasAck = 0x02;
    static constexpr std::uint8_t kHasHole = 0x04;

    std::uint32_t next_ = 0;
    // The most recent gap [hole_start_, hole_end_): segments filling it are
    // the late half of an out-of-order event already counted, not
    // retransmissions. One hole is enough to classify ordinary reordering.
    std::uint32_t hole_start_ = 0;
    std::uint32_t hole_end_ = 0;
    std::uint32_t last_ack_ = 0;
    std::uint16_t last_window_ = 0;
    std::uint8_t bits_ = 0;
};

}  // namespace sockeye::flow
