// Linux "cooked" capture v2 (DLT_LINUX_SLL2, `-i any` since libpcap 1.10):
//   protocol(2) reserved(2) interface index(4) ARPHRD type(2)
//   packet type(1) address length(1) address(8)
#include "decode/field_reader.hpp"
#include "decode/layers.hpp"
#include "decode/wire_numbers.hpp"

namespace sockeye::decode {
Next decode_sll2(core::ByteReader& r, DecodedFrame& out, LayerState& /*st*/) {
    constexpr std::size_t kHeaderLen = 20;
    if (!has_or_flag(r, kHeaderLen, out, Anomaly::truncated_link)) return kDone;
    const std::uint16_t protocol = r.u16_be();
    r.skip(2 + 4);  // reserved, interface index (capture knows the interface)
    const std::uint16_t hatype = r.u16_be();
    r.skip(1);  // packet type
    const std::uint8_t halen = r.u8();
    // As in SLL v1 the address is the sender's only; see sll.cpp.
    if (hatype == hardware_type::kEthernet && halen == 6) {
        read_mac(r, out.src_mac);
        r.skip(2);
    } else {
        r.skip(8);
    }
    return {Space::ethertype,
            protocol >= ethertype::kMinEthertype ? protocol : ethertype::kUnknown};
}

}  // namespace sockeye::decode
