// ICMP for IPv4 (RFC 792): type, code, checksum, then 4 bytes whose meaning
// depends on the type (echo: identifier and sequence).
//
// Error messages (unreachable, time exceeded, ...) quote the offending IP
// header: that inner packet is left in the payload and deliberately not
// decoded, so it can never be mistaken for this frame's flow.
#include "decode/layers.hpp"

namespace sockeye::decode {
namespace {
constexpr std::uint8_t kEchoReply = 0;
constexpr std::uint8_t kEchoRequest = 8;
}  // namespace

Next decode_icmp(core::ByteReader& r, DecodedFrame& out, LayerState& st) {
    constexpr std::size_t kFixedLen = 4;
    constexpr std::size_t kHeaderLen = 8;
    if (!has_or_flag(r, kFixedLen, out, Anomaly::truncated_icmp)) return kDone;
    out.transport = Transport::icmp;
    out.icmp.type = r.u8();
    out.icmp.code = r.u8();
    r.skip(2);  // checksum
    const bool echo = out.icmp.type == kEchoRequest || out.icmp.type == kEchoReply;
    out.icmp.is_echo = echo;
    out.icmp.is_echo_reply = out.icmp.type == kEchoReply;
    if (!has_or_flag(r, kHeaderLen - kFixedLen, out, Anomaly::truncated_icmp)) return kDone;
    const std::uint16_t id = r.u16_be();
    const std::uint16_t seq = r.u16_be();
    if (echo) {
        out.icmp.echo_id = id;
        out.icmp.echo_seq = seq;
    }
    out.payload = r.rest();
    out.payload_len = st.ip_payload_len >= kHeaderLen ? st.ip_payload_len - 8u : 0u;
    return kDone;
}

}  // namespace sockeye::decode
