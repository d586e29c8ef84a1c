#include "flow/tcp_state.hpp"

#include "flow/seq_tracker.hpp"

namespace sockeye::flow {

namespace flag = decode::tcp_flag;
using snapshot::FlowState;

namespace {

bool has(const decode::TcpInfo& tcp, std::uint8_t f) { return (tcp.flags & f) != 0; }

}  // namespace

bool TcpStateMachine::closing() const {
    switch (state_) {
        case FlowState::syn_sent:
        case FlowState::syn_received:
        case FlowState::established:
        case FlowState::active: return false;
        default: return true;
    }
}

void TcpStateMachine::on_segment(Side sender, const decode::TcpInfo& tcp,
                                 std::uint32_t payload_len) {
    if ((bits_ & kStarted) == 0) {
        bits_ |= kStarted;
        on_first_segment(sender, tcp);
    } else {
        on_handshake(sender, tcp);
    }
    if (has(tcp, flag::kRst)) {
        bits_ |= kRst;
        state_ = FlowState::closed;
        return;
    }
    if (state_ == FlowState::closed) return;
    on_fin_and_ack(sender, tcp, payload_len);
}

void TcpStateMachine::on_first_segment(Side sender, const decode::TcpInfo& tcp) {
    if (has(tcp, flag::kSyn)) {
        const bool syn_ack = has(tcp, flag::kAck);
        initiator_ = syn_ack ? other_side(sender) : sender;
        bits_ |= kInitiatorKnown;
        state_ = syn_ack ? FlowState::syn_received : FlowState::syn_sent;
        if (syn_ack) synack_end_ = tcp.seq + 1;
        return;
    }
    // Picked up mid-stream: the handshake happened before we looked.
    state_ = FlowState::established;
}

void TcpStateMachine::on_handshake(Side sender, const decode::TcpInfo& tcp) {
    const bool syn = has(tcp, flag::kSyn);
    const bool ack = has(tcp, flag::kAck);
    if (state_ == FlowState::syn_sent) {
        if (syn && ack && sender != initiator_) {
            state_ = FlowState::syn_received;
            synack_end_ = tcp.seq + 1;
        } else if (!syn && ack) {
            // The SYN/ACK was not captured but both sides talk: established.
            state_ = FlowState::established;
        }
        return;
    }
    if (state_ == FlowState::syn_received && !syn && ack && sender == initiator_ &&
        seq_ge(tcp.ack, synack_end_)) {
        state_ = FlowState::established;
    }
}

void TcpStateMachine::on_fin_and_ack(Side sender, const decode::TcpInfo& tcp,
                                     std::uint32_t payload_len) {
    const unsigned s = side_index(sender);
    const unsigned o = side_index(other_side(sender));
    // The ACK half first: a FIN/ACK acks the peer's FIN and then sends its own.
    if (has(tcp, flag::kAck) && fin_sent_[o] && !fin_acked_[o] && seq_ge(tcp.ack, fin_end_[o])) {
        fin_acked_[o] = true;
    }
    if (has(tcp, flag::kFin) && !fin_sent_[s]) {
        if (!fin_sent_[o]) first_closer_ = sender;
        fin_sent_[s] = true;
        fin_end_[s] = tcp.seq + segment_length(tcp, payload_len);
    }
    derive_closing_state();
}

void TcpStateMachine::derive_closing_state() {
    const unsigned first = side_index(first_closer_);
    const unsigned second = side_index(other_side(first_closer_));
    if (!fin_sent_[first]) return;
    if (!fin_sent_[second]) {
        state_ = fin_acked_[first] ? FlowState::close_wait : FlowState::fin_wait_1;
    } else if (fin_acked_[first] && fin_acked_[second]) {
        state_ = FlowState::time_wait;
    } else {
        state_ = fin_acked_[first] ? FlowState::last_ack : FlowState::closing;
    }
}

}  // namespace sockeye::flow
