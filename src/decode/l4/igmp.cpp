// IGMP v1/v2 (RFC 2236) and v3 (RFC 9776): type, max response, checksum,
// group address. A v3 membership report has no group in that place: it is
// taken from the first group record instead.
#include "decode/field_reader.hpp"
#include "decode/layers.hpp"

namespace sockeye::decode {
namespace {
constexpr std::uint8_t kV3MembershipReport = 0x22;
}  // namespace

Next decode_igmp(core::ByteReader& r, DecodedFrame& out, LayerState& st) {
    constexpr std::size_t kFixedLen = 4;
    constexpr std::size_t kHeaderLen = 8;
    if (!has_or_flag(r, kFixedLen, out, Anomaly::truncated_igmp)) return kDone;
    out.transport = Transport::igmp;
    out.igmp.type = r.u8();
    r.skip(3);  // max response time, checksum
    if (!has_or_flag(r, kHeaderLen - kFixedLen, out, Anomaly::truncated_igmp)) return kDone;
    if (out.igmp.type == kV3MembershipReport) {
        r.skip(2);  // reserved
        const std::uint16_t records = r.u16_be();
        // record: type(1) aux data length(1) number of sources(2) group(4)
        if (records != 0) {
            if (!has_or_flag(r, 8, out, Anomaly::truncated_igmp)) return kDone;
            core::ByteReader record(r.rest());
            record.skip(4);
            out.igmp.group = read_ipv4_address(record);
        }
    } else {
        out.igmp.group = read_ipv4_address(r);
    }
    out.payload = r.rest();
    out.payload_len = st.ip_payload_len >= kHeaderLen ? st.ip_payload_len - 8u : 0u;
    return kDone;
}

}  // namespace sockeye::decode
