// BSD loopback encapsulations: a 4-byte address family, then the packet.
// DLT_NULL stores it in the byte order of the capturing host (which a file
// read elsewhere does not share), DLT_LOOP in network order.
#include "decode/layers.hpp"
#include "decode/wire_numbers.hpp"

namespace sockeye::decode {
namespace {

// AF_INET is 2 everywhere; AF_INET6 differs per OS: 10 Linux, 24 NetBSD /
// OpenBSD, 28 FreeBSD, 30 Darwin.
std::uint16_t ethertype_of_family(std::uint32_t family) {
    switch (family) {
        case 2: return ethertype::kIpv4;
        case 10:
        case 24:
        case 28:
        case 30: return ethertype::kIpv6;
        default: return ethertype::kUnknown;
    }
}

}  // namespace

Next decode_null(core::ByteReader& r, DecodedFrame& out, LayerState& /*st*/) {
    if (!has_or_flag(r, 4, out, Anomaly::truncated_link)) return kDone;
    std::uint32_t family = r.u32_le();
    // Every family value fits in the low 16 bits, so a value with high bits
    // set was written by a host of the other byte order.
    if ((family & 0xFFFF0000u) != 0) {
        family = ((family & 0xFFu) << 24) | ((family & 0xFF00u) << 8) |
                 ((family >> 8) & 0xFF00u) | (family >> 24);
    }
    return {Space::ethertype, ethertype_of_family(family)};
}

Next decode_loop(core::ByteReader& r, DecodedFrame& out, LayerState& /*st*/) {
    if (!has_or_flag(r, 4, out, Anomaly::truncated_link)) return kDone;
    return {Space::ethertype, ethertype_of_family(r.u32_be())};
}

}  // namespace sockeye::decode
