#include "flow/rtt.hpp"

#include "flow/seq_tracker.hpp"

namespace sockeye::flow {

namespace flag = decode::tcp_flag;

void RttEstimator::add_sample(std::int64_t r_ns) {
    if (r_ns < 0) return;  // capture timestamps stepped backwards
    // Minutes between data and its ACK are a gap in the capture (a suspended
    // laptop, a capture file with a timestamp jump), not a round trip. The
    // bound also keeps 7 * SRTT far from overflowing (a fuzzed capture gave
    // a 54-year "sample").
    if (r_ns > kMaxSampleNs) return;
    if (srtt_ns_ < 0) {
        srtt_ns_ = r_ns;
        rttvar_ns_ = r_ns / 2;
        return;
    }
    // RFC 6298 2.3: RTTVAR is updated with the SRTT from before this sample.
    const std::int64_t err = srtt_ns_ > r_ns ? srtt_ns_ - r_ns : r_ns - srtt_ns_;
    rttvar_ns_ = (3 * rttvar_ns_ + err) / 4;
    srtt_ns_ = (7 * srtt_ns_ + r_ns) / 8;
}

void RttTracker::on_segment(Side sender, const decode::TcpInfo& tcp, std::uint32_t payload_len,
                            std::int64_t ts_ns, std::uint8_t seq_verdict) {
    const bool syn = (tcp.flags & flag::kSyn) != 0;
    const bool ack = (tcp.flags & flag::kAck) != 0;
    if (syn && !ack) {
        // A retransmitted SYN restarts the handshake clock: the SYN/ACK
        // answers the latest one far more often than the first.
        syn_ts_ns_ = ts_ns;
    } else if (syn && ack) {
        synack_ts_ns_ = ts_ns;
    }
    if ((tcp.flags & flag::kRst) != 0) return;
    if (ack) take_sample(dirs_[side_index(other_side(sender))], tcp, ts_ns);
    start_timing(dirs_[side_index(sender)], tcp, segment_length(tcp, payload_len), ts_ns,
                 seq_verdict);
}

void RttTracker::start_timing(Direction& d, const decode::TcpInfo& tcp, std::uint32_t len,
                              std::int64_t ts_ns, std::uint8_t seq_verdict) {
    if (len == 0) return;
    if ((seq_verdict & verdict::kRetransmission) != 0) {
        // Karn: an ACK after a retransmission is ambiguous; drop the timer.
        d.timed_ts_ns = -1;
        return;
    }
    if ((seq_verdict & verdict::kNewData) != 0 && d.timed_ts_ns < 0) {
        d.timed_ts_ns = ts_ns;
        d.timed_end = tcp.seq + len;
    }
    if (tcp.has_timestamps && d.ts_val_ts_ns < 0) {
        d.ts_val = tcp.ts_val;
        d.ts_val_ts_ns = ts_ns;
    }
}

void RttTracker::take_sample(Direction& d, const decode::TcpInfo& tcp, std::int64_t ts_ns) {
    std::int64_t sample = -1;
    if (tcp.has_timestamps && d.ts_val_ts_ns >= 0 && tcp.ts_ecr == d.ts_val) {
        sample = ts_ns - d.ts_val_ts_ns;
        d.ts_val_ts_ns = -1;
    }
    if (d.timed_ts_ns >= 0 && seq_ge(tcp.ack, d.timed_end)) {
        // One round trip gives one sample, even when both methods saw it.
        if (sample < 0) sample = ts_ns - d.timed_ts_ns;
        d.timed_ts_ns = -1;
    }
    if (sample >= 0) d.estimator.add_sample(sample);
}

void RttTracker::on_echo_request(Side sender, std::uint16_t seq, std::int64_t ts_ns) {
    // A direction's TCP fields serve the echo: the latest request in the
    // timed slot, the one before it in the timestamp slot (a reply may come
    // after the next request when the round trip is longer than ping's
    // interval).
    Direction& d = dirs_[side_index(sender)];
    d.ts_val_ts_ns = d.timed_ts_ns;
    d.ts_val = d.timed_end;
    d.timed_ts_ns = ts_ns;
    d.timed_end = seq;
}

void RttTracker::on_echo_reply(Side sender, std::uint16_t seq, std::int64_t ts_ns) {
    Direction& d = dirs_[side_index(other_side(sender))];
    std::int64_t* sent = nullptr;
    if (d.timed_ts_ns >= 0 && d.timed_end == seq) {
        sent = &d.timed_ts_ns;
    } else if (d.ts_val_ts_ns >= 0 && d.ts_val == seq) {
        sent = &d.ts_val_ts_ns;
    }
    if (sent == nullptr || ts_ns < *sent) return;
    d.estimator.add_sample(ts_ns - *sent);
    *sent = -1;  // a duplicated reply is not timed again
}

std::int64_t RttTracker::echo_rtt_ns(Side preferred) const {
    const RttEstimator& mine = dirs_[side_index(preferred)].estimator;
    if (mine.known()) return mine.srtt_ns();
    const RttEstimator& theirs = dirs_[side_index(other_side(preferred))].estimator;
    return theirs.known() ? theirs.srtt_ns() : -1;
}

void RttTracker::on_handshake_complete(std::int64_t ts_ns) {
    if (syn_ts_ns_ >= 0 && ts_ns >= syn_ts_ns_) handshake_ns_ = ts_ns - syn_ts_ns_;
}

std::int64_t RttTracker::handshake_responder_ns() const {
    if (syn_ts_ns_ < 0 || synack_ts_ns_ < syn_ts_ns_) return -1;
    return synack_ts_ns_ - syn_ts_ns_;
}

std::int64_t RttTracker::handshake_initiator_ns() const {
    const std::int64_t responder = handshake_responder_ns();
    if (handshake_ns_ < 0 || responder < 0) return -1;
    return handshake_ns_ - responder;
}

std::int64_t RttTracker::srtt_ns() const {
    const RttEstimator& a = dirs_[0].estimator;
    const RttEstimator& b = dirs_[1].estimator;
    if (a.known() && b.known()) return a.srtt_ns() + b.srtt_ns();
    if (a.known()) return a.srtt_ns();
    return b.known() ? b.srtt_ns() : -1;
}

std::int64_t RttTracker::network_rtt_ns(Side local, bool local_initiated) const {
    const RttEstimator& outbound = dirs_[side_index(local)].estimator;
    if (outbound.known()) return outbound.srtt_ns();
    return local_initiated ? handshake_responder_ns() : handshake_initiator_ns();
}

}  // namespace sockeye::flow
