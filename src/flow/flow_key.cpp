#include "flow/flow_key.hpp"

#include <bit>
#include <cstring>

namespace sockeye::flow {
namespace {

using decode::Anomaly;
using decode::DecodedFrame;
using decode::Network;
using decode::Transport;
using snapshot::FlowProtocol;

// One endpoint before canonicalisation.
struct Endpoint {
    const core::IpAddress* ip;
    std::uint16_t port;
};

// The 16 address bytes as two big-endian words: comparing the words orders
// addresses exactly as comparing their bytes one by one does, in a few
// instructions instead of a memcmp call on every packet.
struct AddressWords {
    std::uint64_t high;
    std::uint64_t low;
};

AddressWords address_words(const core::IpAddress& ip) {
    std::uint64_t w[2];
    std::memcpy(w, ip.bytes.data(), sizeof w);
    if constexpr (std::endian::native == std::endian::little) {
        return {__builtin_bswap64(w[0]), __builtin_bswap64(w[1])};
    } else {
        return {w[0], w[1]};
    }
}

bool endpoint_less(const Endpoint& x, const Endpoint& y) {
    const AddressWords a = address_words(*x.ip);
    const AddressWords b = address_words(*y.ip);
    if (a.high != b.high) return a.high < b.high;
    if (a.low != b.low) return a.low < b.low;
    return x.port < y.port;
}

void fill_endpoints(FlowKey& key, Side& sender, Endpoint src, Endpoint dst) {
    // Ties (same address and port, e.g. ICMP echo to self) count as a -> b.
    const bool swapped = endpoint_less(dst, src);
    const Endpoint& lo = swapped ? dst : src;
    const Endpoint& hi = swapped ? src : dst;
    key.addr_a = lo.ip->bytes;
    key.addr_b = hi.ip->bytes;
    key.port_a = lo.port;
    key.port_b = hi.port;
    sender = swapped ? Side::b : Side::a;
}

bool make_arp_key(const DecodedFrame& frame, KeyedFrame& out) {
    const core::IpAddress& sender = frame.arp.sender_ip;
    const core::IpAddress& target = frame.arp.target_ip;
    if (sender.family == core::IpFamily::none || target.family != sender.family) return false;
    out.key.protocol = FlowProtocol::arp;
    out.key.family = static_cast<std::uint8_t>(sender.family);
    fill_endpoints(out.key, out.sender, {&sender, 0}, {&target, 0});
    return true;
}

FlowProtocol protocol_of(Transport t) {
    switch (t) {
        case Transport::tcp: return FlowProtocol::tcp;
        case Transport::udp: return FlowProtocol::udp;
        case Transport::icmp: return FlowProtocol::icmp;
        case Transport::icmpv6: return FlowProtocol::icmpv6;
        case Transport::igmp:
        case Transport::other:
        case Transport::none: return FlowProtocol::other;
    }
    return FlowProtocol::other;
}

bool make_ip_key(const DecodedFrame& frame, KeyedFrame& out) {
    // Later fragments carry no ports; guessing their flow would be wrong as
    // often as right, so they stay unattributed.
    if (frame.is_fragment && !frame.is_first_fragment) return false;
    if (frame.src_ip.family == core::IpFamily::none || frame.src_ip.family != frame.dst_ip.family) {
        return false;
    }
    out.key.protocol = protocol_of(frame.transport);
    out.key.ip_proto = frame.ip_proto;
    out.key.family = static_cast<std::uint8_t>(frame.src_ip.family);
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    switch (frame.transport) {
        case Transport::tcp:
        case Transport::udp:
            src_port = frame.src_port;
            dst_port = frame.dst_port;
            break;
        case Transport::icmp:
        case Transport::icmpv6:
            // Request and reply carry the same identifier: using it as the
            // port on both sides pairs them and separates concurrent pings.
            if (frame.icmp.is_echo) {
                src_port = frame.icmp.echo_id;
                dst_port = frame.icmp.echo_id;
            }
            break;
        default:
            break;
    }
    fill_endpoints(out.key, out.sender, {&frame.src_ip, src_port}, {&frame.dst_ip, dst_port});
    return true;
}

}  // namespace

bool make_flow_key(const DecodedFrame& frame, KeyedFrame& out) {
    // A frame whose transport header is cut short or contradicts itself
    // cannot be trusted to belong to the flow its ports name (tshark does not
    // count it in that conversation either): it stays an anomaly, unattributed.
    constexpr std::uint32_t kDamagedTransport =
        (1u << static_cast<unsigned>(Anomaly::truncated_tcp)) |
        (1u << static_cast<unsigned>(Anomaly::bad_tcp_header_length)) |
        (1u << static_cast<unsigned>(Anomaly::truncated_udp)) |
        (1u << static_cast<unsigned>(Anomaly::bad_udp_length));
    if ((frame.anomalies & kDamagedTransport) != 0) return false;
    out = KeyedFrame{};
    out.key.vlan = frame.vlan_depth > 0 ? frame.vlan_outer : std::uint16_t{0};
    switch (frame.network) {
        case Network::arp: return make_arp_key(frame, out);
        case Network::ipv4:
        case Network::ipv6: return make_ip_key(frame, out);
        case Network::none:
        case Network::other: return false;
    }
    return false;
}

core::IpAddress key_address(const FlowKey& key, Side side) {
    core::IpAddress ip;
    ip.bytes = side == Side::a ? key.addr_a : key.addr_b;
    ip.family = static_cast<core::IpFamily>(key.family);
    return ip;
}

std::uint16_t key_port(const FlowKey& key, Side side) {
    return side == Side::a ? key.port_a : key.port_b;
}

}  // namespace sockeye::flow
