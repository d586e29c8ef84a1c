#include "snapshot/flow_record.hpp"

namespace sockeye::snapshot {

std::string_view protocol_name(FlowProtocol p) {
    switch (p) {
        case FlowProtocol::tcp: return "TCP";
        case FlowProtocol::udp: return "UDP";
        case FlowProtocol::icmp: return "ICMP";
        case FlowProtocol::icmpv6: return "ICMPv6";
        case FlowProtocol::arp: return "ARP";
        case FlowProtocol::other: return "IP";
    }
    return "IP";
}

std::string_view state_name(FlowState s) {
    switch (s) {
        case FlowState::syn_sent: return "SYN_SENT";
        case FlowState::syn_received: return "SYN_RECEIVED";
        case FlowState::established: return "ESTABLISHED";
        case FlowState::fin_wait_1: return "FIN_WAIT_1";
        case FlowState::fin_wait_2: return "FIN_WAIT_2";
        case FlowState::close_wait: return "CLOSE_WAIT";
        case FlowState::closing: return "CLOSING";
        case FlowState::last_ack: return "LAST_ACK";
        case FlowState::time_wait: return "TIME_WAIT";
        case FlowState::closed: return "CLOSED";
        case FlowState::active: return "ACTIVE";
    }
    return "ACTIVE";
}

std::string_view end_reason_name(EndReason r) {
    switch (r) {
        case EndReason::active: return "active";
        case EndReason::fin: return "fin";
        case EndReason::reset: return "reset";
        case EndReason::idle_timeout: return "idle_timeout";
        case EndReason::evicted: return "evicted";
    }
    return "active";
}

}  // namespace sockeye::snapshot
