#include "scenarios.hpp"

#include <array>

namespace sockeye::trafficgen {

std::span<const Scenario> all_scenarios() {
    static constexpr std::array<Scenario, 15> kScenarios{{
        {"tcp-mix", LinkType::ethernet, FileFormat::pcap, build_tcp_mix,
         "200 TCP flows (v4+v6): handshakes, FIN/RST, retransmits, reordering, dup ACKs, reuse"},
        {"udp-icmp-arp", LinkType::ethernet, FileFormat::pcap, build_udp_icmp_arp,
         "DNS-like UDP, other UDP, ICMP/ICMPv6 echo, neighbour discovery, ARP, IGMP"},
        {"vlan", LinkType::ethernet, FileFormat::pcap, build_vlan,
         "802.1Q and QinQ tagged flows, the same 5-tuple on two VLANs"},
        {"fragments", LinkType::ethernet, FileFormat::pcap, build_fragments,
         "fragmented UDP over IPv4 and IPv6"},
        {"linktypes-sll", LinkType::linux_sll, FileFormat::pcap, build_link_mix, "TCP/UDP/ARP over Linux SLL"},
        {"linktypes-sll2", LinkType::linux_sll2, FileFormat::pcap, build_link_mix, "TCP/UDP/ARP over Linux SLL2"},
        {"linktypes-raw", LinkType::raw, FileFormat::pcap, build_link_mix_ip_only, "TCP/UDP over raw IP"},
        {"linktypes-null", LinkType::null_bsd, FileFormat::pcap, build_link_mix_ip_only,
         "TCP/UDP over BSD loopback (DLT_NULL)"},
        {"linktypes-loop", LinkType::loop, FileFormat::pcap, build_link_mix_ip_only,
         "TCP/UDP over OpenBSD loopback (DLT_LOOP)"},
        {"pcapng", LinkType::ethernet, FileFormat::pcapng, build_pcapng_mix, "a pcapng file with a mix"},
        {"malformed", LinkType::ethernet, FileFormat::pcap, build_malformed,
         "truncated and corrupt packets mixed with good traffic"},
        {"bench-mix", LinkType::ethernet, FileFormat::pcap, build_bench_mix,
         "--packets N (default 1000000): ~10k concurrent TCP flows, UDP, ICMP"},
        {"live-mix", LinkType::ethernet, FileFormat::pcap, build_live_mix,
         "--packets N (default 1000000): bench-mix with IPv6 and 802.1Q flows, frames within a 1500 MTU"},
        {"flood", LinkType::ethernet, FileFormat::pcap, build_flood,
         "--packets N (default 5000000): SYN flood + UDP spray from spoofed sources, 2N/5 flows"},
        {"udp-spray", LinkType::ethernet, FileFormat::pcap, build_udp_spray,
         "--packets N (default 1000000): one UDP datagram per flow from spoofed sources"},
    }};
    return kScenarios;
}

}  // namespace sockeye::trafficgen
