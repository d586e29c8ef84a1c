#include "export/ipfix_records.hpp"

#include <algorithm>
#include <tuple>

namespace sockeye::exports {
namespace {

using snapshot::EndReason;
using snapshot::FlowProtocol;
using snapshot::FlowState;

constexpr std::int64_t kNsPerMs = 1'000'000;

// TCP header flag bits (RFC 9293), as tcpControlBits carries them.
constexpr std::uint16_t kFin = 0x01;
constexpr std::uint16_t kSyn = 0x02;
constexpr std::uint16_t kRst = 0x04;
constexpr std::uint16_t kAck = 0x10;

std::uint64_t epoch_ms(std::int64_t ns) {
    return ns <= 0 ? 0 : static_cast<std::uint64_t>(ns / kNsPerMs);
}

bool fin_state(FlowState s) {
    switch (s) {
        case FlowState::fin_wait_1:
        case FlowState::fin_wait_2:
        case FlowState::close_wait:
        case FlowState::closing:
        case FlowState::last_ack:
        case FlowState::time_wait: return true;
        default: return false;
    }
}

}  // namespace

std::uint16_t ipfix_tcp_flags_of(const snapshot::FlowRecord& f) {
    if (f.protocol != FlowProtocol::tcp) return 0;
    std::uint16_t bits = 0;
    // A measured handshake RTT means SYN, SYN/ACK and the final ACK were seen.
    const bool handshake = f.handshake_rtt_ns >= 0;
    if (handshake || f.state == FlowState::syn_sent || f.state == FlowState::syn_received)
        bits |= kSyn;
    if (handshake || f.state == FlowState::syn_received || f.state == FlowState::established ||
        fin_state(f.state) || f.end_reason == EndReason::fin)
        bits |= kAck;
    if (fin_state(f.state) || f.end_reason == EndReason::fin) bits |= kFin;
    // An open flow in CLOSED got there by a RST (see flow/tcp_state.hpp).
    if (f.end_reason == EndReason::reset ||
        (f.end_reason == EndReason::active && f.state == FlowState::closed))
        bits |= kRst;
    return bits;
}

ipfix::EndReason ipfix_end_reason_of(const snapshot::FlowRecord& f) {
    switch (f.end_reason) {
        case EndReason::fin:
        case EndReason::reset: return ipfix::EndReason::end_of_flow;
        case EndReason::evicted: return ipfix::EndReason::lack_of_resources;
        case EndReason::idle_timeout: return ipfix::EndReason::idle_timeout;
        case EndReason::active: break;
    }
    // Closed as last seen open (it ended and left the bounded history
    // between two snapshots): what its TCP state says, else idle.
    if (f.state == FlowState::closed || f.state == FlowState::time_wait)
        return ipfix::EndReason::end_of_flow;
    return ipfix::EndReason::idle_timeout;
}

std::optional<IpfixFlow> ipfix_flow_of(const snapshot::FlowRecord& f, ipfix::EndReason reason) {
    // ARP records carry the IPv4 addresses it asks about, but no IP packet
    // was sent: nothing for an IP flow collector.
    if (f.protocol == FlowProtocol::arp || f.source_ip.family == core::IpFamily::none ||
        f.source_ip.family != f.destination_ip.family)
        return std::nullopt;
    IpfixFlow r;
    r.source_ip = f.source_ip;
    r.destination_ip = f.destination_ip;
    // ICMP flows keep the echo identifier in source_port: not a port.
    if (f.protocol == FlowProtocol::tcp || f.protocol == FlowProtocol::udp) {
        r.source_port = f.source_port;
        r.destination_port = f.destination_port;
    }
    r.ip_proto = f.ip_proto;
    r.tcp_flags = ipfix_tcp_flags_of(f);
    r.end_reason = reason;
    r.vlan = f.vlan;
    r.start_ms = epoch_ms(f.first_seen_ns);
    r.end_ms = epoch_ms(f.last_seen_ns);
    r.octets = f.bytes_sent;
    r.packets = f.packets_sent;
    r.reverse_octets = f.bytes_received;
    r.reverse_packets = f.packets_received;
    if (const snapshot::ProcessInfo* p = f.process.get()) {
        r.pid = p->pid > 0 ? static_cast<std::uint32_t>(p->pid) : 0;
        r.process_name = p->name;
        r.user = p->user;
    }
    if (const snapshot::AppInfo* app = f.app.get()) {
        r.application = app->protocol;
        r.server_name = app->domain;
    }
    if (const snapshot::GeoInfo* geo = f.remote_geo.get()) {
        r.remote_country = geo->country;
        r.remote_asn = geo->asn;
        r.remote_organisation = geo->organisation;
        r.remote_city = geo->city;
    }
    return r;
}

std::optional<IpfixFlow> IpfixRecordTracker::delta(const snapshot::FlowRecord& flow,
                                                   ipfix::EndReason reason, bool keep,
                                                   std::int64_t now_ns) {
    auto record = ipfix_flow_of(flow, reason);
    if (!record) return std::nullopt;
    const Key k = key_of(flow);
    const auto it = sent_.find(k);
    const bool had_record = it != sent_.end();
    Sent before;
    if (had_record) {
        before = it->second;
        if (!keep) sent_.erase(it);
    }
    // Counters never go back; a flow with nothing new since its last
    // record gets no empty one.
    if (record->packets < before.packets || record->reverse_packets < before.reverse_packets)
        return std::nullopt;
    if (had_record && record->packets == before.packets &&
        record->reverse_packets == before.reverse_packets)
        return std::nullopt;
    if (keep) {
        sent_[k] = Sent{record->packets, record->reverse_packets, record->octets,
                        record->reverse_octets, now_ns};
    }
    record->packets -= before.packets;
    record->reverse_packets -= before.reverse_packets;
    record->octets -= before.octets;
    record->reverse_octets -= before.reverse_octets;
    return record;
}

std::optional<IpfixFlow> IpfixRecordTracker::closed(const snapshot::FlowRecord& flow) {
    owed_.erase(key_of(flow));
    return delta(flow, ipfix_end_reason_of(flow), false, 0);
}

std::optional<IpfixFlow> IpfixRecordTracker::at_exit(const snapshot::FlowRecord& flow) {
    owed_.erase(key_of(flow));
    return delta(flow, ipfix::EndReason::forced_end, false, 0);
}

bool IpfixRecordTracker::owes(const snapshot::FlowRecord& flow) const {
    if (!ipfix_flow_of(flow, ipfix::EndReason::active_timeout)) return false;
    const auto it = sent_.find(key_of(flow));
    return it == sent_.end() || flow.packets_sent > it->second.packets ||
           flow.packets_received > it->second.reverse_packets;
}

void IpfixRecordTracker::due(const snapshot::Snapshot& snap, std::vector<IpfixFlow>& out) {
    if (active_timeout_ns_ <= 0) return;
    // A complete snapshot carries every open flow itself.
    if (!snap.delta) owed_.clear();
    std::vector<const snapshot::FlowRecord*> now;
    for (const auto& f : snap.flows) {
        if (f.end_reason != EndReason::active) continue;
        const Key k = key_of(f);
        const auto it = sent_.find(k);
        const std::int64_t since = it == sent_.end() ? f.first_seen_ns : it->second.at_ns;
        if (snap.ts_ns - since >= active_timeout_ns_) {
            owed_.erase(k);
            now.push_back(&f);
        } else if (snap.delta && owes(f)) {
            owed_.insert_or_assign(k, Owed{f, since + active_timeout_ns_});
        } else {
            owed_.erase(k);
        }
    }
    // Flows the delta did not carry whose record fell due: in the order a
    // complete snapshot would have listed them among the others.
    std::vector<Owed> late;
    for (auto it = owed_.begin(); it != owed_.end();) {
        if (it->second.due_ns > snap.ts_ns) {
            ++it;
            continue;
        }
        late.push_back(std::move(it->second));
        it = owed_.erase(it);
    }
    if (!late.empty()) {
        for (const auto& o : late) now.push_back(&o.flow);
        std::sort(now.begin(), now.end(), [](const snapshot::FlowRecord* x, const snapshot::FlowRecord* y) {
            return std::tie(x->first_seen_ns, x->source_ip, x->source_port, x->destination_ip,
                            x->destination_port, x->ip_proto, x->protocol, x->vlan, x->generation) <
                   std::tie(y->first_seen_ns, y->source_ip, y->source_port, y->destination_ip,
                            y->destination_port, y->ip_proto, y->protocol, y->vlan, y->generation);
        });
    }
    for (const auto* f : now)
        if (auto r = delta(*f, ipfix::EndReason::active_timeout, true, snap.ts_ns)) out.push_back(std::move(*r));
}

}  // namespace sockeye::exports
