// QUIC frames inside a decrypted packet payload (RFC 9000 §19): the ones an
// Initial carries are reported (CRYPTO, CONNECTION_CLOSE, ACK, PING), every
// other RFC 9000 / RFC 9221 frame is skipped by its layout. An unknown frame
// type ends parsing, since its length cannot be known.
#pragma once

#include <cstdint>
#include <span>

namespace sockeye::dpi::quic {

class FrameSink {
public:
    virtual void on_crypto(std::uint64_t offset, std::span<const std::uint8_t> data) = 0;
    // `application` is the 0x1d form, which carries no frame type.
    virtual void on_connection_close(bool application, std::uint64_t error_code,
                                     std::uint64_t frame_type,
                                     std::span<const std::uint8_t> reason) = 0;
    virtual void on_ack(std::uint64_t largest_acknowledged) { (void)largest_acknowledged; }
    virtual void on_ping() {}

protected:
    FrameSink() = default;
    FrameSink(const FrameSink&) = default;
    FrameSink& operator=(const FrameSink&) = default;
    ~FrameSink() = default;
};

struct FrameStats {
    std::uint32_t frames = 0;
    std::uint32_t padding_bytes = 0;
};

enum class FrameStatus : std::uint8_t {
    ok,
    malformed,      // a frame runs past the payload
    unknown_frame,  // a type we cannot skip; frames before it were reported
};

FrameStatus parse_frames(std::span<const std::uint8_t> payload, FrameSink& sink,
                         FrameStats* stats = nullptr);

}  // namespace sockeye::dpi::quic
