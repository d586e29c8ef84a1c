#include "flow/seq_tracker.hpp"

namespace sockeye::flow {

namespace flag = decode::tcp_flag;

std::uint32_t segment_length(const decode::TcpInfo& tcp, std::uint32_t payload_len) {
    std::uint32_t len = payload_len;
    if ((tcp.flags & flag::kSyn) != 0) ++len;
    if ((tcp.flags & flag::kFin) != 0) ++len;
    return len;
}

std::uint8_t SeqTracker::on_segment(const decode::TcpInfo& tcp, std::uint32_t payload_len,
                                    const SeqTracker& peer) {
    std::uint8_t result = 0;
    const std::uint32_t len = segment_length(tcp, payload_len);
    // A RST's payload is a diagnostic, not stream data.
    if (len > 0 && (tcp.flags & flag::kRst) == 0) result = classify_data(tcp.seq, len);
    if ((tcp.flags & flag::kAck) != 0) {
        if (is_duplicate_ack(tcp, payload_len, peer)) result |= verdict::kDuplicateAck;
        last_ack_ = tcp.ack;
        last_window_ = tcp.window;
        bits_ |= kHasAck;
    }
    return result;
}

std::uint8_t SeqTracker::classify_data(std::uint32_t seq, std::uint32_t len) {
    const std::uint32_t end = seq + len;  // wraps by design
    if (!started()) {
        next_ = end;
        bits_ |= kStarted;
        return verdict::kNewData;
    }
    if (seq_le(end, next_)) {
        const bool in_hole = (bits_ & kHasHole) != 0 && seq_ge(seq, hole_start_) &&
                             seq_le(end, hole_end_);
        if (!in_hole) return verdict::kRetransmission;
        fill_hole(seq, end);
        return 0;
    }
    std::uint8_t result = verdict::kNewData;
    if (seq_gt(seq, next_)) {
        hole_start_ = next_;
        hole_end_ = seq;
        bits_ |= kHasHole;
        result |= verdict::kOutOfOrder;
    }
    next_ = end;
    return result;
}

void SeqTracker::fill_hole(std::uint32_t seq, std::uint32_t end) {
    // Shrink from whichever edge the segment touches; a fill in the middle
    // leaves the hole as is (still classified correctly, just less tightly).
    if (seq == hole_start_) hole_start_ = end;
    else if (end == hole_end_) hole_end_ = seq;
    if (seq_ge(hole_start_, hole_end_)) bits_ &= static_cast<std::uint8_t>(~kHasHole);
}

bool SeqTracker::is_duplicate_ack(const decode::TcpInfo& tcp, std::uint32_t payload_len,
                                  const SeqTracker& peer) const {
    constexpr std::uint8_t kNotPure = flag::kSyn | flag::kFin | flag::kRst;
    if (payload_len != 0 || (tcp.flags & kNotPure) != 0) return false;
    if ((bits_ & kHasAck) == 0 || tcp.ack != last_ack_ || tcp.window != last_window_) {
        return false;
    }
    // Without outstanding data a repeated ACK is just an idle keep-alive.
    return peer.started() && seq_lt(tcp.ack, peer.next_seq());
}

}  // namespace sockeye::flow
