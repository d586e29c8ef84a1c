// Linux "cooked" capture v1 (DLT_LINUX_SLL, what `-i any` used to give):
//   packet type(2) ARPHRD type(2) address length(2) address(8) protocol(2)
#include "decode/field_reader.hpp"
#include "decode/layers.hpp"
#include "decode/wire_numbers.hpp"

namespace sockeye::decode {
Next decode_sll(core::ByteReader& r, DecodedFrame& out, LayerState& /*st*/) {
    constexpr std::size_t kHeaderLen = 16;
    if (!has_or_flag(r, kHeaderLen, out, Anomaly::truncated_link)) return kDone;
    r.skip(2);  // packet type: to us / broadcast / outgoing, ...
    const std::uint16_t hatype = r.u16_be();
    const std::uint16_t halen = r.u16_be();
    // The one address is the sender's. has_mac stays false because the
    // destination is unknown; src_mac is still useful (OUI lookups).
    if (hatype == hardware_type::kEthernet && halen == 6) {
        read_mac(r, out.src_mac);
        r.skip(2);
    } else {
        r.skip(8);
    }
    const std::uint16_t protocol = r.u16_be();
    // Protocol values below 0x0600 are Linux ETH_P_* pseudo types (802.2
    // LLC, 802.3 raw, ...), not ethertypes.
    return {Space::ethertype,
            protocol >= ethertype::kMinEthertype ? protocol : ethertype::kUnknown};
}

}  // namespace sockeye::decode
