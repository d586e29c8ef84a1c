// Link types with no link header: the frame starts with the IP header.
// DLT_RAW may carry either family, told apart by the version nibble;
// DLT_IPV4 / DLT_IPV6 fix the family.
#include "decode/layers.hpp"
#include "decode/wire_numbers.hpp"

namespace sockeye::decode {

Next decode_raw_ip(core::ByteReader& r, DecodedFrame& out, LayerState& /*st*/) {
    if (r.empty()) {
        out.flag(Anomaly::truncated_link);
        return kDone;
    }
    // Anything but 6 goes to IPv4, whose version check then names the problem.
    const bool v6 = (r.peek_u8() >> 4) == 6;
    return {Space::ethertype, v6 ? ethertype::kIpv6 : ethertype::kIpv4};
}

Next decode_raw_ipv4(core::ByteReader& /*r*/, DecodedFrame& /*out*/, LayerState& /*st*/) {
    return {Space::ethertype, ethertype::kIpv4};
}

Next decode_raw_ipv6(core::ByteReader& /*r*/, DecodedFrame& /*out*/, LayerState& /*st*/) {
    return {Space::ethertype, ethertype::kIpv6};
}

}  // namespace sockeye::decode
