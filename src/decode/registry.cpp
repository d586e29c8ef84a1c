#include "decode/registry.hpp"

#include <array>

#include "decode/layers.hpp"
#include "decode/wire_numbers.hpp"

namespace sockeye::decode {
namespace {

// A 256-entry table per IP protocol namespace: one indexed load per packet,
// no hashing, built at compile time.
using ProtoTable = std::array<LayerDecoder, 256>;

constexpr ProtoTable make_transport_table() {
    ProtoTable t{};
    t[ip_proto::kIcmp] = decode_icmp;
    t[ip_proto::kIgmp] = decode_igmp;
    t[ip_proto::kTcp] = decode_tcp;
    t[ip_proto::kUdp] = decode_udp;
    t[ip_proto::kAh] = decode_auth_header;  // IPv4 and IPv6 alike
    t[ip_proto::kIcmpv6] = decode_icmpv6;
    return t;
}

// IPv6 extension headers are only extension headers after IPv6: an IPv4
// packet with protocol 0 or 60 is an unknown transport, not an option header.
constexpr ProtoTable make_ipv6_extension_table() {
    ProtoTable t{};
    t[ip_proto::kHopByHop] = decode_ipv6_options;
    t[ip_proto::kRouting] = decode_ipv6_options;
    t[ip_proto::kFragment] = decode_ipv6_fragment;
    t[ip_proto::kNoNext] = decode_ipv6_no_next;
    t[ip_proto::kDestOptions] = decode_ipv6_options;
    t[ip_proto::kMobility] = decode_ipv6_options;
    return t;
}

constexpr ProtoTable kTransports = make_transport_table();
constexpr ProtoTable kIpv6Extensions = make_ipv6_extension_table();

LayerDecoder find_link(std::uint16_t dlt_value) {
    switch (dlt_value) {
        case dlt::kNull: return decode_null;
        case dlt::kEn10mb: return decode_ethernet;
        case dlt::kRaw:
        case dlt::kLinktypeRaw: return decode_raw_ip;
        case dlt::kLoop: return decode_loop;
        case dlt::kLinuxSll: return decode_sll;
        case dlt::kIpv4: return decode_raw_ipv4;
        case dlt::kIpv6: return decode_raw_ipv6;
        case dlt::kLinuxSll2: return decode_sll2;
        default: return nullptr;
    }
}

LayerDecoder find_network(std::uint16_t type) {
    switch (type) {
        case ethertype::kIpv4: return decode_ipv4;
        case ethertype::kIpv6: return decode_ipv6;
        case ethertype::kArp: return decode_arp;
        case ethertype::kVlan:
        case ethertype::kQinQ:
        case ethertype::kQinQLegacy: return decode_vlan;
        case ethertype::kPppoeSession: return decode_pppoe_session;
        default: return nullptr;
    }
}

}  // namespace

LayerDecoder find_layer_decoder(Next next) {
    const auto low = static_cast<std::uint8_t>(next.key);
    switch (next.space) {
        case Space::done: return nullptr;
        case Space::link: return find_link(next.key);
        case Space::ethertype: return find_network(next.key);
        case Space::ip_proto: return next.key < 256 ? kTransports[low] : nullptr;
        case Space::ipv6_header:
            if (next.key >= 256) return nullptr;
            return kIpv6Extensions[low] != nullptr ? kIpv6Extensions[low] : kTransports[low];
    }
    return nullptr;
}

}  // namespace sockeye::decode
