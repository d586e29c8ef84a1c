#include "flow/flow_entry.hpp"

namespace sockeye::flow {

using snapshot::EndReason;
using snapshot::FlowProtocol;
using snapshot::FlowState;

namespace {

void account_tcp(FlowEntry& e, Side sender, const decode::DecodedFrame& frame) {
    const unsigned s = side_index(sender);
    const decode::TcpInfo& tcp = frame.tcp;
    const std::uint8_t v =
        e.seq[s].on_segment(tcp, frame.payload_len, e.seq[side_index(other_side(sender))]);
    if ((v & verdict::kRetransmission) != 0) ++e.retransmits;
    if ((v & verdict::kOutOfOrder) != 0) ++e.out_of_order;
    if ((v & verdict::kDuplicateAck) != 0) ++e.duplicate_acks;

    const FlowState before = e.tcp.state();
    e.tcp.on_segment(sender, tcp, frame.payload_len);
    e.rtt.on_segment(sender, tcp, frame.payload_len, frame.ts_ns, v);
    if (before == FlowState::syn_received && e.tcp.state() != FlowState::syn_received &&
        e.tcp.state() != FlowState::closed) {
        e.rtt.on_handshake_complete(frame.ts_ns);
    }
}

}  // namespace

void account_frame(FlowEntry& e, Side sender, const decode::DecodedFrame& frame,
                   std::int64_t rate_bucket_ns) {
    const unsigned s = side_index(sender);
    ++e.packets[s];
    e.bytes[s] += frame.wire_len;
    // Merged captures can step back in time; last_seen never does.
    if (frame.ts_ns > e.last_seen_ns) e.last_seen_ns = frame.ts_ns;
    e.rate.add(sender, frame.ts_ns, frame.wire_len, rate_bucket_ns);
    if (e.key.protocol == FlowProtocol::tcp && frame.transport == decode::Transport::tcp) {
        account_tcp(e, sender, frame);
    } else if (frame.icmp.is_echo && (frame.transport == decode::Transport::icmp ||
                                      frame.transport == decode::Transport::icmpv6)) {
        if (frame.icmp.is_echo_reply) {
            e.rtt.on_echo_reply(sender, frame.icmp.echo_seq, frame.ts_ns);
        } else {
            e.rtt.on_echo_request(sender, frame.icmp.echo_seq, frame.ts_ns);
        }
    }
}

EndReason end_reason_of(const FlowEntry& e, EndReason fallback) {
    if (e.key.protocol != FlowProtocol::tcp) return fallback;
    if (e.tcp.reset_seen()) return EndReason::reset;
    if (e.tcp.fin_exchanged()) return EndReason::fin;
    return fallback;
}

namespace {

FlowState final_state(const FlowEntry& e, bool ended) {
    if (e.key.protocol != FlowProtocol::tcp) return ended ? FlowState::closed : FlowState::active;
    // TIME_WAIT has run its course once the flow leaves the table.
    if (ended && e.tcp.state() == FlowState::time_wait) return FlowState::closed;
    return e.tcp.state();
}

}  // namespace

snapshot::FlowRecord make_record(const FlowEntry& e, bool ended, EndReason reason,
                                 std::int64_t now_ns, std::int64_t rate_bucket_ns) {
    const Side src = e.source;
    const Side dst = other_side(src);
    snapshot::FlowRecord r;
    r.protocol = e.key.protocol;
    r.ip_proto = e.key.ip_proto;
    r.vlan = e.key.vlan;
    r.source_ip = key_address(e.key, src);
    r.destination_ip = key_address(e.key, dst);
    r.source_port = key_port(e.key, src);
    r.destination_port = key_port(e.key, dst);
    r.state = final_state(e, ended);
    r.end_reason = ended ? reason : EndReason::active;
    r.generation = e.generation;
    r.packets_sent = e.packets[side_index(src)];
    r.packets_received = e.packets[side_index(dst)];
    r.bytes_sent = e.bytes[side_index(src)];
    r.bytes_received = e.bytes[side_index(dst)];
    r.first_seen_ns = e.first_seen_ns;
    r.last_seen_ns = e.last_seen_ns;
    if (e.key.protocol == FlowProtocol::tcp) {
        r.handshake_rtt_ns = e.rtt.handshake_ns();
        r.srtt_ns = e.source_is_local ? e.rtt.network_rtt_ns(src, e.initiator == src)
                                      : e.rtt.srtt_ns();
        r.retransmits = e.retransmits;
        r.out_of_order = e.out_of_order;
        r.duplicate_acks = e.duplicate_acks;
    } else if (e.key.protocol == FlowProtocol::icmp || e.key.protocol == FlowProtocol::icmpv6) {
        // Ping's own number: request -> reply, the source's requests first.
        r.srtt_ns = e.rtt.echo_rtt_ns(src);
    }
    // A connection that is over moves nothing more: no rate left over from
    // its last seconds while it waits to expire.
    const bool over = r.state == FlowState::closed || r.state == FlowState::time_wait;
    if (!ended && !over) {
        r.sent_bytes_per_s = e.rate.bytes_per_s(src, now_ns, rate_bucket_ns);
        r.received_bytes_per_s = e.rate.bytes_per_s(dst, now_ns, rate_bucket_ns);
    }
    return r;
}

}  // namespace sockeye::flow
