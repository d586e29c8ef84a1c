// One active flow inside the table's slab, and the per-frame accounting on
// it. Internal to the flow module; the outside sees snapshot::FlowRecord.
#pragma once

#include <array>
#include <cstdint>

#include "decode/decoded_frame.hpp"
#include "flow/flow_key.hpp"
#include "flow/lru_lists.hpp"
#include "flow/rate.hpp"
#include "flow/rtt.hpp"
#include "flow/seq_tracker.hpp"
#include "flow/tcp_state.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::flow {

// Cache-line aligned: a lookup touches the key, then most of the entry, so
// an entry should span as few lines as possible (384 bytes = 6 lines).
struct alignas(64) FlowEntry {
    FlowKey key{};
    std::int64_t first_seen_ns = 0;
    std::int64_t last_seen_ns = 0;
    // last_seen_ns when the entry was last moved to the back of its idle
    // list; the move is skipped while it is recent (see FlowTable).
    std::int64_t listed_ns = 0;
    std::array<std::uint64_t, 2> packets{};  // indexed by the sending Side
    std::array<std::uint64_t, 2> bytes{};
    std::uint32_t generation = 0;
    std::uint32_t retransmits = 0;
    std::uint32_t out_of_order = 0;
    std::uint32_t duplicate_acks = 0;
    Side source = Side::a;     // which canonical side the record calls "source"
    Side initiator = Side::a;  // who spoke first (SYN sender, else first sender)
    TimeoutClass timeout_class = TimeoutClass::other;
    // Bit-fields: the entry is exactly six cache lines, no byte to spare.
    bool in_use : 1 = false;
    // The source is this host's own address (live, one end local): its RTT
    // is the network's half only (see RttTracker::network_rtt_ns).
    bool source_is_local : 1 = false;
    TcpStateMachine tcp;
    std::array<SeqTracker, 2> seq{};  // indexed by the sending Side
    RttTracker rtt;
    RateMeter rate;
};

// The memory goal is <= 512 bytes per active flow including the index and
// history shares (about 45 bytes at the default caps).
static_assert(sizeof(FlowEntry) <= 384, "FlowEntry outgrew six cache lines");

// The timeout class the flow belongs to in its current state (inline: the
// table asks on every frame).
inline TimeoutClass timeout_class_of(const FlowEntry& e) {
    switch (e.key.protocol) {
        case snapshot::FlowProtocol::tcp:
            if (e.tcp.closing()) return TimeoutClass::tcp_closing;
            if (e.tcp.state() == snapshot::FlowState::established) return TimeoutClass::tcp_established;
            return TimeoutClass::tcp_handshake;
        case snapshot::FlowProtocol::udp: return TimeoutClass::udp;
        case snapshot::FlowProtocol::icmp:
        case snapshot::FlowProtocol::icmpv6: return TimeoutClass::icmp;
        case snapshot::FlowProtocol::arp:
        case snapshot::FlowProtocol::other: return TimeoutClass::other;
    }
    return TimeoutClass::other;
}

// Adds one frame sent by `sender` (counters, rates, TCP analysis).
void account_frame(FlowEntry& e, Side sender, const decode::DecodedFrame& frame,
                   std::int64_t rate_bucket_ns);

// Why the flow ends now: a TCP flow that closed by RST or FIN reports that,
// whatever removed it; otherwise `fallback` (idle_timeout / evicted).
snapshot::EndReason end_reason_of(const FlowEntry& e, snapshot::EndReason fallback);

// The outside view. `ended` picks the final state; rates are taken at
// `now_ns` for active flows and are zero for ended ones.
snapshot::FlowRecord make_record(const FlowEntry& e, bool ended, snapshot::EndReason reason,
                                 std::int64_t now_ns, std::int64_t rate_bucket_ns);

}  // namespace sockeye::flow
