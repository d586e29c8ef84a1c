// IPv6 extension headers (RFC 8200 section 4) and the IPsec AH (RFC 4302),
// which is the one "extension" IPv4 shares. Each consumes its header,
// charges it against the IP payload length and names the next header.
#include "decode/layers.hpp"

namespace sockeye::decode {
namespace {

// RFC 8200 expects at most a handful; the cap stops a chain of options
// headers from costing a full frame's worth of steps.
constexpr std::uint8_t kMaxIpv6Extensions = 8;

bool count_extension(DecodedFrame& out, LayerState& st) {
    if (st.ipv6_extensions >= kMaxIpv6Extensions) {
        out.flag(Anomaly::too_many_ipv6_extensions);
        return false;
    }
    ++st.ipv6_extensions;
    return true;
}

void consume(LayerState& st, std::size_t len) {
    st.ip_payload_len = len < st.ip_payload_len
                            ? st.ip_payload_len - static_cast<std::uint32_t>(len)
                            : 0;
}

}  // namespace

// Hop-by-hop (0), routing (43), destination options (60), mobility (135):
// next header(1), length in 8-octet units not counting the first(1), data.
// Their contents do not change what sockeye reports.
Next decode_ipv6_options(core::ByteReader& r, DecodedFrame& out, LayerState& st) {
    if (!count_extension(out, st)) return kDone;
    const std::uint8_t next_header = r.peek_u8();
    const std::size_t len = (std::size_t{r.peek_u8(1)} + 1) * 8;
    if (!r.has(2) || !r.skip(len)) {
        out.flag(Anomaly::truncated_ipv6_extension);
        return kDone;
    }
    consume(st, len);
    return {Space::ipv6_header, next_header};
}

// Fragment header: next header(1) reserved(1) offset/flags(2) id(4).
Next decode_ipv6_fragment(core::ByteReader& r, DecodedFrame& out, LayerState& st) {
    constexpr std::size_t kHeaderLen = 8;
    if (!count_extension(out, st)) return kDone;
    if (!has_or_flag(r, kHeaderLen, out, Anomaly::truncated_ipv6_extension)) return kDone;
    const std::uint8_t next_header = r.u8();
    r.skip(1);
    const std::uint16_t offset_flags = r.u16_be();
    out.fragment_id = r.u32_be();
    consume(st, kHeaderLen);
    const auto offset = static_cast<std::uint16_t>(offset_flags & 0xFFF8u);  // 8-octet units << 3
    const bool more = (offset_flags & 1u) != 0;
    out.ip_proto = next_header;
    // offset 0 without M is an "atomic fragment" (RFC 6946): a whole packet
    // that is processed as unfragmented.
    if (offset != 0 || more) {
        out.is_fragment = true;
        out.fragment_offset = offset;
        out.is_first_fragment = offset == 0;
        if (offset != 0) return kDone;  // no transport header in later fragments
    }
    return {Space::ipv6_header, next_header};
}

// Next header 59: nothing follows the headers.
Next decode_ipv6_no_next(core::ByteReader& /*r*/, DecodedFrame& /*out*/, LayerState& /*st*/) {
    return kDone;
}

// AH: next header(1), length in 4-octet units minus 2(1), reserved, SPI,
// sequence, ICV. What follows is in the clear, so decoding continues.
Next decode_auth_header(core::ByteReader& r, DecodedFrame& out, LayerState& st) {
    const bool after_ipv6 = out.network == Network::ipv6;
    if (after_ipv6 && !count_extension(out, st)) return kDone;
    const std::uint8_t next_header = r.peek_u8();
    const std::size_t len = (std::size_t{r.peek_u8(1)} + 2) * 4;
    if (!r.has(2) || !r.skip(len)) {
        // The anomaly set has no AH kind; an AH is an extension header in
        // IPv6 and the closest match for IPv4 too.
        out.flag(Anomaly::truncated_ipv6_extension);
        return kDone;
    }
    consume(st, len);
    return {after_ipv6 ? Space::ipv6_header : Space::ip_proto, next_header};
}

}  // namespace sockeye::decode
