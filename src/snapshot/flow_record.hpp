// One flow as the outside world sees it: a plain value copied out of the flow
// table. tui and export read these (and never the decode or flow internals).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/ip_address.hpp"
#include "snapshot/app_info.hpp"
#include "snapshot/geo_info.hpp"
#include "snapshot/link_peer.hpp"
#include "snapshot/process_info.hpp"

namespace sockeye::snapshot {

enum class FlowProtocol : std::uint8_t { tcp, udp, icmp, icmpv6, arp, other };

// TCP states as in RFC 793 (names as ss and the reference tool print them).
// Non-TCP flows use `active` while they see traffic and `closed` once ended.
// Every rate sockeye shows (flows, processes, interfaces) is the bytes of
// this much time, just before now, divided by it: a plain average, the same
// definition everywhere.
inline constexpr std::int64_t kRateWindowNs = 5'000'000'000;

enum class FlowState : std::uint8_t {
    syn_sent,
    syn_received,
    established,
    fin_wait_1,
    fin_wait_2,
    close_wait,
    closing,
    last_ack,
    time_wait,
    closed,
    active,
};

// Why a flow left the active table (or `active` if it has not).
enum class EndReason : std::uint8_t { active, fin, reset, idle_timeout, evicted };

std::string_view protocol_name(FlowProtocol p);  // "TCP", "UDP", "ICMP", "ICMPv6", "ARP", "IP"
std::string_view state_name(FlowState s);        // "ESTABLISHED", "SYN_SENT", ...
std::string_view end_reason_name(EndReason r);   // "active", "fin", "reset", "idle_timeout", "evicted"

struct FlowRecord {
    FlowProtocol protocol = FlowProtocol::other;
    std::uint8_t ip_proto = 0;
    std::uint16_t vlan = 0;  // outermost VLAN id, 0 when untagged
    // source = initiator (files) or local side (live); destination = the other.
    core::IpAddress source_ip{};
    core::IpAddress destination_ip{};
    std::uint16_t source_port = 0;       // ICMP echo: the echo identifier; ARP: 0
    std::uint16_t destination_port = 0;
    FlowState state = FlowState::active;
    EndReason end_reason = EndReason::active;
    std::uint32_t generation = 0;        // >0 when a SYN reused a closed tuple
    // Ended flows: 1, 2, 3... in the order they ended (the flow table's
    // count of ended flows), so a consumer that already had every ended flow
    // up to N can ask for the later ones only; 0 while the flow is active.
    std::uint64_t end_sequence = 0;

    std::uint64_t packets_sent = 0;      // source -> destination
    std::uint64_t packets_received = 0;  // destination -> source
    std::uint64_t bytes_sent = 0;        // frame bytes on the wire
    std::uint64_t bytes_received = 0;

    std::int64_t first_seen_ns = 0;
    std::int64_t last_seen_ns = 0;
    // Active flows: how long the flow may stay idle before it ends (the UI
    // fades rows towards it); 0 for ended flows.
    std::int64_t idle_timeout_ns = 0;

    std::int64_t handshake_rtt_ns = -1;  // SYN -> SYN/ACK -> ACK; -1 unknown
    std::int64_t srtt_ns = -1;           // RFC 6298 smoothed RTT; -1 unknown
    // Live, a TCP flow of a socket on this host: the kernel's own smoothed
    // RTT for it (tcp_info); -1 unknown. See display_rtt_ns().
    std::int64_t kernel_srtt_ns = -1;
    std::uint32_t retransmits = 0;
    std::uint32_t out_of_order = 0;
    std::uint32_t duplicate_acks = 0;

    double sent_bytes_per_s = 0;     // over the last kRateWindowNs (flow/rate.hpp)
    double received_bytes_per_s = 0;

    // What DPI learnt (shared, immutable); null when nothing is known.
    std::shared_ptr<const AppInfo> app;

    // The local process that owns the flow (live capture only); null when
    // unknown, with the reason in `unattributed`.
    std::shared_ptr<const ProcessInfo> process;
    ProcessMatch process_match = ProcessMatch::none;
    UnattributedReason unattributed = UnattributedReason::none;

    // The remote (destination) host's name: sniffed DNS first, then reverse
    // DNS; empty when unknown or with --no-resolve.
    std::string remote_name;
    // Where the remote (destination) address is: its range, and country,
    // city and network from the geo databases; null when geo is off
    // (--no-geoip). Shared by every flow of the address.
    std::shared_ptr<const GeoInfo> remote_geo;
    // The remote's MAC address and vendor when it is on a local network
    // (live: the kernel's neighbour table knows it); null otherwise.
    std::shared_ptr<const LinkPeer> remote_link;
};

// The one RTT a table shows for a flow: the kernel's for a socket of this
// host, else the smoothed estimate from the packets, else the handshake's;
// -1 when none is known.
inline std::int64_t display_rtt_ns(const FlowRecord& f) {
    if (f.kernel_srtt_ns >= 0) return f.kernel_srtt_ns;
    return f.srtt_ns >= 0 ? f.srtt_ns : f.handshake_rtt_ns;
}

}  // namespace sockeye::snapshot
