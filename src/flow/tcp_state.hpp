// The TCP state of a flow as a whole, as a passive observer can infer it
// from both directions (not the state of either endpoint's socket).
//
//   SYN                  -> SYN_SENT
//   SYN/ACK              -> SYN_RECEIVED
//   ACK of the SYN/ACK   -> ESTABLISHED   (first packet without SYN: also)
//   first FIN            -> FIN_WAIT_1
//   that FIN acked       -> CLOSE_WAIT    (the other side still sends)
//   second FIN           -> LAST_ACK      (CLOSING if the first is unacked)
//   second FIN acked     -> TIME_WAIT
//   RST (any time)       -> CLOSED
#pragma once

#include <array>
#include <cstdint>

#include "decode/decoded_frame.hpp"
#include "flow/flow_key.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::flow {

class TcpStateMachine {
public:
    // Advances on one segment sent by `sender`.
    void on_segment(Side sender, const decode::TcpInfo& tcp, std::uint32_t payload_len);

    [[nodiscard]] snapshot::FlowState state() const { return state_; }
    // A SYN without ACK on a tuple in this state starts a new generation.
    [[nodiscard]] bool reusable() const {
        return state_ == snapshot::FlowState::time_wait || state_ == snapshot::FlowState::closed;
    }
    // At or past the first FIN, or reset: the tcp_closing timeout applies.
    [[nodiscard]] bool closing() const;
    [[nodiscard]] bool reset_seen() const { return (bits_ & kRst) != 0; }
    // Both sides sent FIN: the flow ended by the FIN handshake.
    [[nodiscard]] bool fin_exchanged() const { return fin_sent_[0] && fin_sent_[1]; }
    // The side that sent the SYN (or received the SYN/ACK), when known.
    [[nodiscard]] bool initiator_known() const { return (bits_ & kInitiatorKnown) != 0; }
    [[nodiscard]] Side initiator() const { return initiator_; }

private:
    void on_first_segment(Side sender, const decode::TcpInfo& tcp);
    void on_handshake(Side sender, const decode::TcpInfo& tcp);
    void on_fin_and_ack(Side sender, const decode::TcpInfo& tcp, std::uint32_t payload_len);
    void derive_closing_state();

    static constexpr std::uint8_t kStarted = 0x01;
    static constexpr std::uint8_t kRst = 0x02;
    static constexpr std::uint8_t kInitiatorKnown = 0x04;

    std::array<std::uint32_t, 2> fin_end_{};  // sequence just past each side's FIN
    std::uint32_t synack_end_ = 0;            // the ACK that completes the handshake
    snapshot::FlowState state_ = snapshot::FlowState::established;
    Side initiator_ = Side::a;
    Side first_closer_ = Side::a;
    std::uint8_t bits_ = 0;
    std::array<bool, 2> fin_sent_{};
    std::array<bool, 2> fin_acked_{};
};

}  // namespace sockeye::flow
