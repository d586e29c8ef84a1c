// TCP (RFC 9293) with the options a flow monitor uses: MSS, window scale,
// SACK-permitted, SACK blocks, timestamps (RFC 7323, RFC 2018).
//
// Truncation policy (shared with UDP): once the two ports are present the
// segment belongs to a flow, so transport and ports are set even when the
// rest of the header was cut; the truncated_* anomaly says the other
// fields are missing. With fewer than 4 bytes the transport stays none.
#include "decode/layers.hpp"

namespace sockeye::decode {
namespace {

constexpr std::size_t kPortsLen = 4;
constexpr std::size_t kMinHeaderLen = 20;
// RFC 7323 section 2.3: larger shifts are treated as 14.
constexpr std::uint8_t kMaxWindowScale = 14;

enum OptionKind : std::uint8_t {
    kEnd = 0,
    kNop = 1,
    kMss = 2,
    kWindowScale = 3,
    kSackPermitted = 4,
    kSack = 5,
    kTimestamps = 8,
};

// One option with its length byte checked against the option area. Returns
// false when the option is malformed; the caller then stops parsing the
// options (their layout is lost) but keeps the header fields.
bool read_option(std::uint8_t kind, core::ByteReader& body, TcpInfo& tcp) {
    const std::size_t len = body.remaining() + 2;  // as given by the length byte
    switch (kind) {
        case kMss:
            if (len != 4) return false;
            tcp.mss = body.u16_be();
            return true;
        case kWindowScale: {
            if (len != 3) return false;
            const std::uint8_t shift = body.u8();
            tcp.window_scale = shift < kMaxWindowScale ? shift : kMaxWindowScale;
            return true;
        }
        case kSackPermitted:
            if (len != 2) return false;
            tcp.sack_permitted = true;
            return true;
        case kSack:
            // 1..4 blocks of left/right edge; the edges themselves are not kept.
            if (len < 10 || (len - 2) % 8 != 0 || len > 34) return false;
            tcp.sack_blocks = static_cast<std::uint8_t>((len - 2) / 8);
            return true;
        case kTimestamps:
            if (len != 10) return false;
            tcp.has_timestamps = true;
            tcp.ts_val = body.u32_be();
            tcp.ts_ecr = body.u32_be();
            return true;
        default:
            return true;  // unknown kinds are skipped by their length
    }
}

void read_options(core::ByteReader options, DecodedFrame& out) {
    while (!options.empty()) {  // every step consumes at least one byte
        const std::uint8_t kind = options.u8();
        if (kind == kEnd) return;
        if (kind == kNop) continue;
        const std::uint8_t len = options.u8();
        if (!options.ok() || len < 2 || !options.has(len - 2u)) {
            out.flag(Anomaly::bad_tcp_option);
            return;
        }
        core::ByteReader body(options.take(len - 2u));
        if (!read_option(kind, body, out.tcp)) {
            out.flag(Anomaly::bad_tcp_option);
            return;
        }
    }
}

}  // namespace

Next decode_tcp(core::ByteReader& r, DecodedFrame& out, LayerState& st) {
    if (!has_or_flag(r, kPortsLen, out, Anomaly::truncated_tcp)) return kDone;
    out.transport = Transport::tcp;
    if (!r.has(kMinHeaderLen)) {
        out.src_port = r.u16_be();
        out.dst_port = r.u16_be();
        out.flag(Anomaly::truncated_tcp);
        return kDone;
    }
    // The fixed header through a reader of its own (a local kept in
    // registers); the options and the payload follow in `r`.
    core::ByteReader h(r.take(kMinHeaderLen));
    out.src_port = h.u16_be();
    out.dst_port = h.u16_be();
    TcpInfo& tcp = out.tcp;
    tcp.seq = h.u32_be();
    tcp.ack = h.u32_be();
    const std::uint8_t offset_byte = h.u8();
    tcp.flags = h.u8();  // CWR..FIN; the NS / AE bit in offset_byte is not kept
    tcp.window = h.u16_be();
    h.skip(4);  // checksum, urgent pointer
    const auto header_len = static_cast<std::uint8_t>((offset_byte >> 4) * 4u);
    tcp.header_len = header_len;
    if (header_len < kMinHeaderLen || header_len > st.ip_payload_len) {
        out.flag(Anomaly::bad_tcp_header_length);
        return kDone;
    }
    const std::size_t options_len = header_len - kMinHeaderLen;
    if (!r.has(options_len)) {
        out.flag(Anomaly::truncated_tcp);  // the snaplen cut the options
        return kDone;
    }
    if (options_len != 0) read_options(core::ByteReader(r.take(options_len)), out);
    out.payload = r.rest();
    out.payload_len = st.ip_payload_len - header_len;
    return kDone;
}

}  // namespace sockeye::decode
