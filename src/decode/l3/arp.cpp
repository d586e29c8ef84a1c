// ARP (RFC 826): fixed part, then sender/target hardware and protocol
// addresses. Only Ethernet/IPv4 addresses are kept; other pairs still
// report the operation.
#include "decode/field_reader.hpp"
#include "decode/layers.hpp"
#include "decode/wire_numbers.hpp"

namespace sockeye::decode {
Next decode_arp(core::ByteReader& r, DecodedFrame& out, LayerState& /*st*/) {
    constexpr std::size_t kFixedLen = 8;
    constexpr std::size_t kEthernetIpv4Len = kFixedLen + 2 * (6 + 4);
    if (!has_or_flag(r, kFixedLen, out, Anomaly::truncated_arp)) return kDone;
    out.network = Network::arp;
    const std::uint16_t hardware = r.u16_be();
    const std::uint16_t protocol = r.u16_be();
    const std::uint8_t hardware_len = r.u8();
    const std::uint8_t protocol_len = r.u8();
    out.arp.op = r.u16_be();
    if (hardware != hardware_type::kEthernet || protocol != ethertype::kIpv4 || hardware_len != 6 ||
        protocol_len != 4) {
        return kDone;
    }
    if (!has_or_flag(r, kEthernetIpv4Len - kFixedLen, out, Anomaly::truncated_arp)) return kDone;
    read_mac(r, out.arp.sender_mac);
    out.arp.sender_ip = read_ipv4_address(r);
    read_mac(r, out.arp.target_mac);
    out.arp.target_ip = read_ipv4_address(r);
    return kDone;
}

}  // namespace sockeye::decode
