// The one interface every frame producer implements: a live interface, a
// capture file, or (in benchmarks) frames held in memory. The engine only
// ever sees this, so the same code runs on all three.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/raw_frame.hpp"

namespace sockeye::capture {

enum class NextStatus {
    frame,    // `out` holds a frame, valid until the next call
    timeout,  // live only: nothing arrived within the read timeout
    end,      // no more frames (end of file, or the loop was broken)
    error,    // see error(); for files this includes a truncated capture
};

struct SourceStats {
    std::uint64_t received = 0;
    std::uint64_t dropped = 0;
    std::uint64_t interface_dropped = 0;
};

class PacketSource {
public:
    virtual ~PacketSource() = default;
    PacketSource() = default;
    PacketSource(const PacketSource&) = delete;
    PacketSource& operator=(const PacketSource&) = delete;

    virtual NextStatus next(core::RawFrame& out) = 0;
    // Up to out.size() frames at once, into out[0], out[1], ...: `count`
    // of them, all valid together until the next call (the engine decodes a
    // batch, then asks memory for all its flows before it accounts the
    // first). The status is next()'s for the first frame; a source that
    // cannot keep two frames valid hands out one (this default).
    virtual NextStatus next_batch(std::span<core::RawFrame> out, std::size_t& count) {
        count = 0;
        const NextStatus status = next(out[0]);
        if (status == NextStatus::frame) count = 1;
        return status;
    }
    // DLT value (pcap_datalink) of the frames this source produces.
    [[nodiscard]] virtual int link_type() const = 0;
    // Kernel/libpcap counters (live); zeros for files.
    [[nodiscard]] virtual SourceStats stats() const { return {}; }
    // One human-readable line describing the last error.
    [[nodiscard]] virtual const std::string& error() const = 0;
    // Where the frames come from ("eth0", "capture.pcap") for messages.
    [[nodiscard]] virtual const std::string& name() const = 0;
    // Safe to call from a signal handler or another thread.
    virtual void interrupt() {}
};

}  // namespace sockeye::capture
