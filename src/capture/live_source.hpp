// Frames from a live interface through libpcap: each frame at once
// (immediate mode, TPACKET_V2 on Linux), or a ring block at a time
// (TPACKET_V3: the kernel hands over a block when it is full or
// `timeout_ms` after its first frame, so a busy interface costs a wake-up
// per block instead of one per few frames).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "capture/packet_source.hpp"
#include "capture/pcap_handle.hpp"
#include "core/result.hpp"

namespace sockeye::capture {

struct LiveOptions {
    std::string interface;        // empty: the interface of the default route
    std::string filter;           // pcap-filter expression, may be empty
    int snaplen = 262'144;        // whole frames: DPI reads payload
    int buffer_bytes = 16 << 20;  // kernel ring; bigger means fewer drops in bursts
    // next() returns after this long without a frame; without immediate
    // mode also the longest a frame waits in a part-filled block.
    int timeout_ms = 50;
    // Every frame as soon as it arrives: for a reader that must see a
    // flow's first packet while its (possibly short-lived) socket still
    // exists, i.e. userspace process attribution. Off: blocks, frames up to
    // `timeout_ms` late and far fewer wake-ups.
    bool immediate = true;
    bool promiscuous = false;     // a host monitor watches its own traffic
};

class LiveSource final : public PacketSource {
public:
    // The error's message is one line that names the cause and, for
    // permissions (ErrorCode::permission_denied), the capability that is
    // missing; a filter that does not compile is ErrorCode::bad_filter.
    static core::Result<std::unique_ptr<LiveSource>> open(const LiveOptions& options);

    NextStatus next(core::RawFrame& out) override;
    [[nodiscard]] int link_type() const override { return link_type_; }
    [[nodiscard]] SourceStats stats() const override;
    [[nodiscard]] const std::string& error() const override { return error_; }
    [[nodiscard]] const std::string& name() const override { return interface_; }
    // Times next() waited in poll() for the kernel (wake-ups of the reader).
    [[nodiscard]] std::uint64_t waits() const { return waits_; }
    [[nodiscard]] bool immediate() const { return immediate_; }
    void interrupt() override;
    ~LiveSource() override;

private:
    LiveSource(PcapHandle handle, std::string interface, int timeout_ms, bool immediate, int wake_fd);
    // Waits up to the timeout for a frame or interrupt(); false on a poll error.
    bool wait_readable();

    PcapHandle handle_;
    std::string interface_;
    int timeout_ms_;
    bool immediate_;
    std::uint64_t waits_ = 0;
    // An eventfd interrupt() writes to, so a next() waiting on a quiet
    // interface returns at once instead of at its timeout.
    int wake_fd_;
    std::atomic<bool> interrupted_{false};
    std::string error_;
    int link_type_ = 0;
};

// The interface that carries the default route (IPv4, then IPv6), else the
// first non-loopback interface that is up, else "any".
std::string default_interface();

}  // namespace sockeye::capture
