// PPPoE session stage (RFC 2516), ethertype 0x8864:
//   ver/type(1) = 0x11, code(1) = 0, session id(2), length(2), PPP protocol
// The PPP protocol (RFC 1661) is mapped onto the ethertype namespace so the
// registry hands IPv4 / IPv6 to the same decoders as Ethernet does.
#include "decode/field_reader.hpp"
#include "decode/layers.hpp"
#include "decode/wire_numbers.hpp"

namespace sockeye::decode {
namespace {
constexpr std::uint16_t kPppIpv4 = 0x0021;
constexpr std::uint16_t kPppIpv6 = 0x0057;
}  // namespace

Next decode_pppoe_session(core::ByteReader& r, DecodedFrame& out, LayerState& /*st*/) {
    constexpr std::size_t kHeaderLen = 6;
    if (!has_or_flag(r, kHeaderLen + 1, out, Anomaly::truncated_pppoe)) return kDone;
    r.skip(4);  // ver/type, code, session id
    const std::uint16_t length = r.u16_be();  // PPP protocol field + payload
    limit_reader(r, length);
    // A PPP protocol with an odd first byte is a compressed 1-byte field
    // (RFC 1661 protocol-field compression); full values have it even.
    std::uint16_t protocol = 0;
    if ((r.peek_u8() & 1u) != 0) {
        protocol = r.u8();
    } else {
        protocol = r.u16_be();
    }
    if (!r.ok()) {
        out.flag(Anomaly::truncated_pppoe);
        return kDone;
    }
    switch (protocol) {
        case kPppIpv4: return {Space::ethertype, ethertype::kIpv4};
        case kPppIpv6: return {Space::ethertype, ethertype::kIpv6};
        default: return {Space::ethertype, ethertype::kUnknown};  // LCP, IPCP, ...
    }
}

}  // namespace sockeye::decode
