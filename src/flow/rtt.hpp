// Round-trip times as seen from the capture point.
//
// A passive observer sits somewhere on the path, so one data -> ACK sample
// only measures the part of the round trip beyond the observer in that
// direction (capture -> receiver -> capture). Each direction therefore keeps
// its own RFC 6298 estimator, and the flow's RTT is the sum of both halves
// -- the same decomposition as the handshake: SYN -> SYN/ACK is the
// responder's half, SYN/ACK -> ACK the initiator's half.
#pragma once

#include <array>
#include <cstdint>

#include "decode/decoded_frame.hpp"
#include "flow/flow_key.hpp"

namespace sockeye::flow {

// RFC 6298 section 2 smoothing in integer nanoseconds.
class RttEstimator {
public:
    // Longer samples are ignored (see add_sample).
    static constexpr std::int64_t kMaxSampleNs = std::int64_t{600} * 1'000'000'000;

    void add_sample(std::int64_t r_ns);
    [[nodiscard]] bool known() const { return srtt_ns_ >= 0; }
    [[nodiscard]] std::int64_t srtt_ns() const { return srtt_ns_; }
    [[nodiscard]] std::int64_t rttvar_ns() const { return rttvar_ns_; }

private:
    std::int64_t srtt_ns_ = -1;
    std::int64_t rttvar_ns_ = 0;
};

class RttTracker {
public:
    // One TCP segment sent by `sender` at `ts_ns`. `seq_verdict` holds the
    // SeqTracker verdict bits of the segment (retransmissions are never timed:
    // Karn's rule).
    void on_segment(Side sender, const decode::TcpInfo& tcp, std::uint32_t payload_len,
                    std::int64_t ts_ns, std::uint8_t seq_verdict);
    // The ACK completing the handshake was seen at `ts_ns`.
    void on_handshake_complete(std::int64_t ts_ns);
    // ICMP echo (ping): a request with `seq` sent by `sender`, and a reply
    // sent by `sender` (to the other side's request). A reply to one of the
    // two latest requests is one sample of the requester's direction; a
    // reply to an older or unknown one, or a duplicate, is not timed.
    void on_echo_request(Side sender, std::uint16_t seq, std::int64_t ts_ns);
    void on_echo_reply(Side sender, std::uint16_t seq, std::int64_t ts_ns);
    // The smoothed echo round trip: the requests `preferred` sent, else the
    // other side's; -1 when no reply was timed.
    [[nodiscard]] std::int64_t echo_rtt_ns(Side preferred) const;

    // SYN -> ACK of the SYN/ACK; -1 until a handshake with its SYN was seen.
    [[nodiscard]] std::int64_t handshake_ns() const { return handshake_ns_; }
    // SYN -> SYN/ACK (the responder's half) and SYN/ACK -> ACK (the initiator's).
    [[nodiscard]] std::int64_t handshake_responder_ns() const;
    [[nodiscard]] std::int64_t handshake_initiator_ns() const;
    // Sum of both directions' smoothed halves (one half alone when only one
    // direction has samples); -1 when unknown. What a capture between two
    // hosts can tell.
    [[nodiscard]] std::int64_t srtt_ns() const;
    // Captured on one of the two hosts (`local` is its side): the half from
    // here to the other end and back, which is the network's round trip.
    // The other half is this host's own time to answer (its delayed ACKs:
    // tens of milliseconds on a download) and is no part of the path. From
    // the local side's data and the remote's ACKs, else from the handshake
    // (SYN -> SYN/ACK when the local side opened it, SYN/ACK -> ACK when the
    // remote did); -1 when unknown.
    [[nodiscard]] std::int64_t network_rtt_ns(Side local, bool local_initiated) const;
    [[nodiscard]] const RttEstimator& direction(Side data_sender) const {
        return dirs_[side_index(data_sender)].estimator;
    }

private:
    // Timing of the data one side sends, closed by the other side's ACK.
    struct Direction {
        RttEstimator estimator;
        std::int64_t timed_ts_ns = -1;  // send time of the timed segment, -1 none
        std::int64_t ts_val_ts_ns = -1; // first time `ts_val` was sent, -1 none
        std::uint32_t timed_end = 0;    // sequence an ACK must reach
        std::uint32_t ts_val = 0;       // TSval awaiting its echo
    };

    void start_timing(Direction& d, const decode::TcpInfo& tcp, std::uint32_t len,
                      std::int64_t ts_ns, std::uint8_t seq_verdict);
    static void take_sample(Direction& d, const decode::TcpInfo& tcp, std::int64_t ts_ns);

    std::array<Direction, 2> dirs_{};
    std::int64_t syn_ts_ns_ = -1;     // the latest SYN before the SYN/ACK
    std::int64_t synack_ts_ns_ = -1;
    std::int64_t handshake_ns_ = -1;
};

}  // namespace sockeye::flow
