#include <string_view>

#include "decode/decoded_frame.hpp"

namespace sockeye::decode {

std::string_view anomaly_name(Anomaly a) {
    // A switch without default: -Wswitch flags a new enumerator that has no name.
    switch (a) {
        case Anomaly::snaplen_truncated: return "snaplen_truncated";
        case Anomaly::unsupported_link_type: return "unsupported_link_type";
        case Anomaly::truncated_link: return "truncated_link";
        case Anomaly::truncated_vlan: return "truncated_vlan";
        case Anomaly::too_many_vlan_tags: return "too_many_vlan_tags";
        case Anomaly::truncated_arp: return "truncated_arp";
        case Anomaly::truncated_ipv4: return "truncated_ipv4";
        case Anomaly::bad_ipv4_version: return "bad_ipv4_version";
        case Anomaly::bad_ipv4_header_length: return "bad_ipv4_header_length";
        case Anomaly::bad_ipv4_total_length: return "bad_ipv4_total_length";
        case Anomaly::bad_ipv4_options: return "bad_ipv4_options";
        case Anomaly::truncated_ipv6: return "truncated_ipv6";
        case Anomaly::bad_ipv6_version: return "bad_ipv6_version";
        case Anomaly::truncated_ipv6_extension: return "truncated_ipv6_extension";
        case Anomaly::too_many_ipv6_extensions: return "too_many_ipv6_extensions";
        case Anomaly::truncated_tcp: return "truncated_tcp";
        case Anomaly::bad_tcp_header_length: return "bad_tcp_header_length";
        case Anomaly::bad_tcp_option: return "bad_tcp_option";
        case Anomaly::truncated_udp: return "truncated_udp";
        case Anomaly::bad_udp_length: return "bad_udp_length";
        case Anomaly::udp_length_exceeds_ip: return "udp_length_exceeds_ip";
        case Anomaly::truncated_icmp: return "truncated_icmp";
        case Anomaly::truncated_icmpv6: return "truncated_icmpv6";
        case Anomaly::truncated_igmp: return "truncated_igmp";
        case Anomaly::truncated_pppoe: return "truncated_pppoe";
        case Anomaly::count_: break;
    }
    return "unknown";
}

}  // namespace sockeye::decode
