// Numbers assigned by IANA / IEEE / tcpdump.org that more than one file of
// decode needs. Facts, not code: see the comments for the source of each.
#pragma once

#include <cstdint>

namespace sockeye::decode {

// pcap link types (DLT values as pcap_datalink() returns them on Linux).
namespace dlt {
inline constexpr int kNull = 0;         // BSD loopback, AF value in host byte order
inline constexpr int kEn10mb = 1;       // Ethernet
inline constexpr int kRaw = 12;         // raw IP (Linux value of DLT_RAW)
inline constexpr int kLinktypeRaw = 101;  // LINKTYPE_RAW as stored in files
inline constexpr int kLoop = 108;       // OpenBSD loopback, AF value in network order
inline constexpr int kLinuxSll = 113;
inline constexpr int kIpv4 = 228;
inline constexpr int kIpv6 = 229;
inline constexpr int kLinuxSll2 = 276;
}  // namespace dlt

// Hardware types (IANA "Hardware Types", which Linux's ARPHRD_* follow):
// ARP's hardware field and the cooked captures' ARPHRD field.
namespace hardware_type {
inline constexpr std::uint16_t kEthernet = 1;
}  // namespace hardware_type

// IEEE 802 ethertypes.
namespace ethertype {
inline constexpr std::uint16_t kMinEthertype = 0x0600;  // below: an 802.3 length
inline constexpr std::uint16_t kIpv4 = 0x0800;
inline constexpr std::uint16_t kArp = 0x0806;
inline constexpr std::uint16_t kVlan = 0x8100;      // 802.1Q customer tag
inline constexpr std::uint16_t kIpv6 = 0x86DD;
inline constexpr std::uint16_t kPppoeDiscovery = 0x8863;
inline constexpr std::uint16_t kPppoeSession = 0x8864;
inline constexpr std::uint16_t kQinQ = 0x88A8;      // 802.1ad service tag
inline constexpr std::uint16_t kQinQLegacy = 0x9100;  // pre-802.1ad vendor QinQ
// Not an ethertype: what a link layer reports when it cannot name the
// network protocol. Never registered, so it lands in the "other" fallback.
inline constexpr std::uint16_t kUnknown = 0x0000;
}  // namespace ethertype

// IANA assigned internet protocol numbers.
namespace ip_proto {
inline constexpr std::uint8_t kHopByHop = 0;
inline constexpr std::uint8_t kIcmp = 1;
inline constexpr std::uint8_t kIgmp = 2;
inline constexpr std::uint8_t kTcp = 6;
inline constexpr std::uint8_t kUdp = 17;
inline constexpr std::uint8_t kRouting = 43;
inline constexpr std::uint8_t kFragment = 44;
inline constexpr std::uint8_t kAh = 51;
inline constexpr std::uint8_t kIcmpv6 = 58;
inline constexpr std::uint8_t kNoNext = 59;
inline constexpr std::uint8_t kDestOptions = 60;
inline constexpr std::uint8_t kMobility = 135;
}  // namespace ip_proto

// TCP header flag bits (RFC 9293; ECE and CWR from RFC 3168).
namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
inline constexpr std::uint8_t kPsh = 0x08;
inline constexpr std::uint8_t kAck = 0x10;
inline constexpr std::uint8_t kUrg = 0x20;
inline constexpr std::uint8_t kEce = 0x40;
inline constexpr std::uint8_t kCwr = 0x80;
}  // namespace tcp_flag

}  // namespace sockeye::decode
