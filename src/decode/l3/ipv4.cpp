// IPv4 (RFC 791): validates the fixed header, walks the options, records
// fragmentation and narrows the reader to the datagram so Ethernet padding
// never becomes payload.
#include "decode/field_reader.hpp"
#include "decode/layers.hpp"

namespace sockeye::decode {
namespace {

constexpr std::size_t kMinHeaderLen = 20;
constexpr std::uint16_t kMoreFragments = 0x2000;
constexpr std::uint16_t kOffsetMask = 0x1FFF;
constexpr std::uint8_t kOptionEnd = 0;
constexpr std::uint8_t kOptionNop = 1;

// Options are type-length-value except the two single-byte kinds. Returns
// false on a length that is too small or runs past the header.
bool options_well_formed(core::ByteReader options) {
    while (!options.empty()) {  // each step consumes >= 1 byte
        const std::uint8_t type = options.u8();
        if (type == kOptionEnd) return true;
        if (type == kOptionNop) continue;
        const std::uint8_t len = options.u8();
        if (!options.ok() || len < 2 || !options.skip(len - 2u)) return false;
    }
    return true;
}

}  // namespace

Next decode_ipv4(core::ByteReader& r, DecodedFrame& out, LayerState& st) {
    if (r.empty()) {
        out.flag(Anomaly::truncated_ipv4);
        return kDone;
    }
    const std::uint8_t version_ihl = r.peek_u8();
    if ((version_ihl >> 4) != 4) {
        out.flag(Anomaly::bad_ipv4_version);
        return kDone;
    }
    const std::size_t header_len = (version_ihl & 0x0Fu) * 4u;
    if (header_len < kMinHeaderLen) {
        out.flag(Anomaly::bad_ipv4_header_length);
        return kDone;
    }
    if (!has_or_flag(r, header_len, out, Anomaly::truncated_ipv4)) return kDone;
    const std::size_t captured = r.remaining();
    // The fixed header through a reader of its own (a local kept in
    // registers); the options and the payload follow in `r`.
    core::ByteReader h(r.take(kMinHeaderLen));
    h.skip(2);  // version/IHL, DSCP/ECN
    const std::uint16_t total_len = h.u16_be();
    const std::uint16_t id = h.u16_be();
    const std::uint16_t flags_offset = h.u16_be();
    out.ttl = h.u8();
    const std::uint8_t protocol = h.u8();
    h.skip(2);  // checksum: offload makes it meaningless on captured traffic
    out.src_ip = read_ipv4_address(h);
    out.dst_ip = read_ipv4_address(h);
    // The addresses are known from here on, even if the length is bad:
    // consumers may rely on network == ipv4 meaning both are set.
    out.network = Network::ipv4;

    // Total length 0 is what TSO / GSO leaves in outgoing super-packets the
    // kernel hands to pcap before segmentation: use what was captured.
    std::size_t datagram_len = total_len == 0 ? captured : total_len;
    if (datagram_len < header_len) {
        out.flag(Anomaly::bad_ipv4_total_length);
        return kDone;
    }
    out.ip_proto = protocol;  // also for later fragments, which stop here
    if (header_len > kMinHeaderLen &&
        !options_well_formed(core::ByteReader(r.take(header_len - kMinHeaderLen)))) {
        out.flag(Anomaly::bad_ipv4_options);  // IHL still says where L4 starts
    }
    // A total length beyond the captured bytes is snaplen truncation (the
    // caller flagged it), not corruption: decode what is there.
    st.ip_payload_len = static_cast<std::uint32_t>(datagram_len - header_len);
    limit_reader(r, st.ip_payload_len);

    out.fragment_id = id;
    const auto offset = static_cast<std::uint16_t>((flags_offset & kOffsetMask) * 8u);
    const bool more = (flags_offset & kMoreFragments) != 0;
    if (offset != 0 || more) {
        out.is_fragment = true;
        out.fragment_offset = offset;
        out.is_first_fragment = offset == 0;
        // Later fragments carry no transport header: stop at L3.
        if (offset != 0) return kDone;
    }
    return {Space::ip_proto, protocol};
}

}  // namespace sockeye::decode
