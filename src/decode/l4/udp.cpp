// UDP (RFC 768). Same truncation policy as TCP (see tcp.cpp): ports present
// means the datagram is attributed even if the length/checksum were cut.
#include "decode/layers.hpp"

namespace sockeye::decode {

Next decode_udp(core::ByteReader& r, DecodedFrame& out, LayerState& st) {
    constexpr std::size_t kPortsLen = 4;
    constexpr std::size_t kHeaderLen = 8;
    if (!has_or_flag(r, kPortsLen, out, Anomaly::truncated_udp)) return kDone;
    out.transport = Transport::udp;
    if (!r.has(kHeaderLen)) {
        out.src_port = r.u16_be();
        out.dst_port = r.u16_be();
        out.flag(Anomaly::truncated_udp);
        return kDone;
    }
    // The header through a reader of its own (a local kept in registers).
    core::ByteReader h(r.take(kHeaderLen));
    out.src_port = h.u16_be();
    out.dst_port = h.u16_be();
    std::uint32_t udp_len = h.u16_be();
    h.skip(2);  // checksum
    // Length 0 on a datagram too big for 16 bits: RFC 2675 jumbogram (or
    // GSO); the IP length is the real one.
    if (udp_len == 0 && st.ip_payload_len > 0xFFFF) udp_len = st.ip_payload_len;
    // Shorter than the IP payload is legal (trailing bytes are ignored). Longer
    // is only legal in a first fragment, where the rest is in later ones.
    const bool too_long = udp_len > st.ip_payload_len && !out.is_first_fragment;
    if (udp_len < kHeaderLen || too_long) {
        // Distinct kinds: a length below the header makes the header itself
        // bogus (flows do not count such a frame); a length past the IP
        // payload is a lie about the payload only.
        out.flag(udp_len < kHeaderLen ? Anomaly::bad_udp_length : Anomaly::udp_length_exceeds_ip);
        udp_len = st.ip_payload_len >= kHeaderLen ? st.ip_payload_len
                                                  : static_cast<std::uint32_t>(kHeaderLen);
    }
    out.payload_len = udp_len - static_cast<std::uint32_t>(kHeaderLen);
    const std::span<const std::uint8_t> rest = r.rest();
    out.payload = rest.first(rest.size() < out.payload_len ? rest.size() : out.payload_len);
    return kDone;
}

}  // namespace sockeye::decode
