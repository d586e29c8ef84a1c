// 802.1Q / 802.1ad VLAN tag (also the legacy 0x9100 QinQ tag): the tag
// control information then the ethertype of what follows, which may be
// another tag.
#include "decode/layers.hpp"
#include "decode/wire_numbers.hpp"

namespace sockeye::decode {
namespace {
// Real networks stack two tags, occasionally three; more is a loop or garbage.
constexpr std::uint8_t kMaxVlanTags = 4;
constexpr std::uint16_t kVlanIdMask = 0x0FFF;
}  // namespace

Next decode_vlan(core::ByteReader& r, DecodedFrame& out, LayerState& /*st*/) {
    if (out.vlan_depth >= kMaxVlanTags) {
        out.flag(Anomaly::too_many_vlan_tags);
        return kDone;
    }
    if (!has_or_flag(r, 4, out, Anomaly::truncated_vlan)) return kDone;
    const auto vid = static_cast<std::uint16_t>(r.u16_be() & kVlanIdMask);
    const std::uint16_t type = r.u16_be();
    if (out.vlan_depth == 0) {
        out.vlan_outer = vid;
    } else {
        out.vlan_inner = vid;  // each further tag is the innermost so far
    }
    ++out.vlan_depth;
    return {Space::ethertype, type >= ethertype::kMinEthertype ? type : ethertype::kUnknown};
}

}  // namespace sockeye::decode
