#include "dpi/protocols/quic_frames.hpp"

#include "core/byte_reader.hpp"
#include "dpi/protocols/quic_header.hpp"

namespace sockeye::dpi::quic {
namespace {

// Frame types, RFC 9000 §19 and RFC 9221 (DATAGRAM).
enum : std::uint64_t {
    kPadding = 0x00,
    kPing = 0x01,
    kAck = 0x02,
    kAckEcn = 0x03,
    kResetStream = 0x04,
    kStopSending = 0x05,
    kCrypto = 0x06,
    kNewToken = 0x07,
    kStreamFirst = 0x08,
    kStreamLast = 0x0f,
    kMaxData = 0x10,
    kMaxStreamData = 0x11,
    kMaxStreamsBidi = 0x12,
    kMaxStreamsUni = 0x13,
    kDataBlocked = 0x14,
    kStreamDataBlocked = 0x15,
    kStreamsBlockedBidi = 0x16,
    kStreamsBlockedUni = 0x17,
    kNewConnectionId = 0x18,
    kRetireConnectionId = 0x19,
    kPathChallenge = 0x1a,
    kPathResponse = 0x1b,
    kCloseTransport = 0x1c,
    kCloseApplication = 0x1d,
    kHandshakeDone = 0x1e,
    kDatagram = 0x30,
    kDatagramWithLength = 0x31,
};

constexpr std::uint64_t kStreamOffBit = 0x04;
constexpr std::uint64_t kStreamLenBit = 0x02;
constexpr std::size_t kPathDataBytes = 8;
constexpr std::size_t kResetTokenBytes = 16;
// A payload is at most a datagram, so this only guards against a bug.
constexpr std::uint32_t kMaxFrames = 65536;

void skip_varints(core::ByteReader& r, int n) {
    for (int i = 0; i < n; ++i) (void)read_varint(r);
}

// A varint length followed by that many bytes.
std::span<const std::uint8_t> take_prefixed(core::ByteReader& r) {
    const std::uint64_t len = read_varint(r);
    if (!r.ok() || len > r.remaining()) {
        (void)r.skip(r.remaining() + 1);  // marks the reader failed
        return {};
    }
    return r.take(static_cast<std::size_t>(len));
}

void parse_ack(core::ByteReader& r, bool ecn, FrameSink& sink) {
    const std::uint64_t largest = read_varint(r);
    (void)read_varint(r);  // ACK Delay
    const std::uint64_t ranges = read_varint(r);
    (void)read_varint(r);  // First ACK Range
    // Each further range takes at least two bytes, which bounds the loop by
    // the payload whatever the count claims.
    for (std::uint64_t i = 0; i < ranges && r.ok(); ++i) {
        if (r.remaining() < 2) {
            (void)r.skip(r.remaining() + 1);
            break;
        }
        skip_varints(r, 2);  // Gap, ACK Range Length
    }
    if (ecn) skip_varints(r, 3);
    if (r.ok()) sink.on_ack(largest);
}

void parse_close(core::ByteReader& r, bool application, FrameSink& sink) {
    const std::uint64_t code = read_varint(r);
    const std::uint64_t frame_type = application ? 0 : read_varint(r);
    const auto reason = take_prefixed(r);
    if (r.ok()) sink.on_connection_close(application, code, frame_type, reason);
}

void skip_stream(core::ByteReader& r, std::uint64_t type) {
    (void)read_varint(r);  // Stream ID
    if ((type & kStreamOffBit) != 0) (void)read_varint(r);
    if ((type & kStreamLenBit) != 0)
        (void)take_prefixed(r);
    else
        (void)r.skip(r.remaining());  // data runs to the end of the packet
}

void skip_new_connection_id(core::ByteReader& r) {
    skip_varints(r, 2);  // Sequence Number, Retire Prior To
    const std::uint8_t len = r.u8();
    if (len > kMaxCidBytes) {
        (void)r.skip(r.remaining() + 1);
        return;
    }
    (void)r.skip(len);
    (void)r.skip(kResetTokenBytes);
}

// Skips one frame we do not report; false when its type is unknown.
bool skip_frame(core::ByteReader& r, std::uint64_t type) {
    if (type >= kStreamFirst && type <= kStreamLast) {
        skip_stream(r, type);
        return true;
    }
    switch (type) {
        case kResetStream: skip_varints(r, 3); return true;
        case kStopSending:
        case kMaxStreamData:
        case kStreamDataBlocked: skip_varints(r, 2); return true;
        case kNewToken: (void)take_prefixed(r); return true;
        case kMaxData:
        case kMaxStreamsBidi:
        case kMaxStreamsUni:
        case kDataBlocked:
        case kStreamsBlockedBidi:
        case kStreamsBlockedUni:
        case kRetireConnectionId: skip_varints(r, 1); return true;
        case kNewConnectionId: skip_new_connection_id(r); return true;
        case kPathChallenge:
        case kPathResponse: (void)r.skip(kPathDataBytes); return true;
        case kPadding:
        case kHandshakeDone: return true;
        case kDatagram: (void)r.skip(r.remaining()); return true;
        case kDatagramWithLength: (void)take_prefixed(r); return true;
        default: return false;
    }
}

}  // namespace

FrameStatus parse_frames(std::span<const std::uint8_t> payload, FrameSink& sink,
                         FrameStats* stats) {
    core::ByteReader r(payload);
    FrameStats local;
    FrameStats& st = stats != nullptr ? *stats : local;
    FrameStatus status = FrameStatus::ok;
    while (!r.empty() && st.frames < kMaxFrames) {
        if (r.peek_u8() == kPadding) {
            // Initials are padded to 1200 bytes: eat a run of zeros at once.
            while (!r.empty() && r.peek_u8() == kPadding) {
                (void)r.u8();
                ++st.padding_bytes;
            }
            continue;
        }
        const std::uint64_t type = read_varint(r);
        ++st.frames;
        if (type == kPing) {
            sink.on_ping();
        } else if (type == kAck || type == kAckEcn) {
            parse_ack(r, type == kAckEcn, sink);
        } else if (type == kCrypto) {
            const std::uint64_t offset = read_varint(r);
            const auto data = take_prefixed(r);
            if (r.ok()) sink.on_crypto(offset, data);
        } else if (type == kCloseTransport || type == kCloseApplication) {
            parse_close(r, type == kCloseApplication, sink);
        } else if (!skip_frame(r, type)) {
            status = FrameStatus::unknown_frame;
            break;
        }
        if (!r.ok()) {
            status = FrameStatus::malformed;
            break;
        }
    }
    return status;
}

}  // namespace sockeye::dpi::quic
