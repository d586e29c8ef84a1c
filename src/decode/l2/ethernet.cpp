// Ethernet II (DLT_EN10MB): destination MAC, source MAC, ethertype.
#include "decode/field_reader.hpp"
#include "decode/layers.hpp"
#include "decode/wire_numbers.hpp"

namespace sockeye::decode {

Next decode_ethernet(core::ByteReader& r, DecodedFrame& out, LayerState& /*st*/) {
    constexpr std::size_t kHeaderLen = 14;
    if (!has_or_flag(r, kHeaderLen, out, Anomaly::truncated_link)) return kDone;
    // The header through a reader of its own: a local the compiler keeps in
    // registers, where each read through `r` (the caller's) goes to memory.
    core::ByteReader h(r.take(kHeaderLen));
    read_mac(h, out.dst_mac);
    read_mac(h, out.src_mac);
    out.has_mac = true;
    const std::uint16_t type = h.u16_be();
    // Values below 0x0600 are an 802.3 length followed by LLC: no ethertype
    // names the network layer, so it falls through to "other".
    return {Space::ethertype, type >= ethertype::kMinEthertype ? type : ethertype::kUnknown};
}

}  // namespace sockeye::decode
