// IPv6 fixed header (RFC 8200): addresses, hop limit, payload length. The
// extension headers that may follow are separate decoders
// (ipv6_extensions.cpp), reached through the registry.
#include "decode/field_reader.hpp"
#include "decode/layers.hpp"

namespace sockeye::decode {

Next decode_ipv6(core::ByteReader& r, DecodedFrame& out, LayerState& st) {
    constexpr std::size_t kHeaderLen = 40;
    if (r.empty()) {
        out.flag(Anomaly::truncated_ipv6);
        return kDone;
    }
    if ((r.peek_u8() >> 4) != 6) {
        out.flag(Anomaly::bad_ipv6_version);
        return kDone;
    }
    if (!has_or_flag(r, kHeaderLen, out, Anomaly::truncated_ipv6)) return kDone;
    r.skip(4);  // version, traffic class, flow label
    const std::uint16_t payload_len = r.u16_be();
    const std::uint8_t next_header = r.u8();
    out.ttl = r.u8();
    out.src_ip = read_ipv6_address(r);
    out.dst_ip = read_ipv6_address(r);
    out.network = Network::ipv6;
    // Payload length 0 is a jumbogram (RFC 2675, length in a hop-by-hop
    // option) or a BIG TCP / GSO packet: trust what was captured.
    if (payload_len == 0) {
        st.ip_payload_len = static_cast<std::uint32_t>(r.remaining());
    } else {
        st.ip_payload_len = payload_len;
        limit_reader(r, payload_len);
    }
    return {Space::ipv6_header, next_header};
}

}  // namespace sockeye::decode
