// ICMPv6 (RFC 4443) with echo and Neighbor Discovery (RFC 4861).
// As for ICMP, error messages quote an inner packet that is not decoded.
#include "decode/field_reader.hpp"
#include "decode/layers.hpp"

namespace sockeye::decode {
namespace {
constexpr std::uint8_t kEchoRequest = 128;
constexpr std::uint8_t kEchoReply = 129;
constexpr std::uint8_t kNeighborSolicitation = 135;
constexpr std::uint8_t kNeighborAdvertisement = 136;
}  // namespace

Next decode_icmpv6(core::ByteReader& r, DecodedFrame& out, LayerState& st) {
    constexpr std::size_t kFixedLen = 4;
    constexpr std::size_t kHeaderLen = 8;
    if (!has_or_flag(r, kFixedLen, out, Anomaly::truncated_icmpv6)) return kDone;
    out.transport = Transport::icmpv6;
    const std::uint8_t type = r.u8();
    out.icmp.type = type;
    out.icmp.code = r.u8();
    r.skip(2);  // checksum
    const bool echo = type == kEchoRequest || type == kEchoReply;
    out.icmp.is_echo = echo;
    out.icmp.is_echo_reply = type == kEchoReply;
    if (!has_or_flag(r, kHeaderLen - kFixedLen, out, Anomaly::truncated_icmpv6)) return kDone;
    if (echo) {
        out.icmp.echo_id = r.u16_be();
        out.icmp.echo_seq = r.u16_be();
    } else {
        r.skip(4);  // NS: reserved; NA: flags + reserved; others: type-specific
    }
    if (type == kNeighborSolicitation || type == kNeighborAdvertisement) {
        if (!has_or_flag(r, 16, out, Anomaly::truncated_icmpv6)) return kDone;
        out.icmp.ndp_target = read_ipv6_address(r);
        out.payload = r.rest();  // NDP options
        out.payload_len = st.ip_payload_len >= kHeaderLen + 16 ? st.ip_payload_len - 24u : 0u;
        return kDone;
    }
    out.payload = r.rest();
    out.payload_len = st.ip_payload_len >= kHeaderLen ? st.ip_payload_len - 8u : 0u;
    return kDone;
}

}  // namespace sockeye::decode
