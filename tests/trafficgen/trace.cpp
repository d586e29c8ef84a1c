#include "trace.hpp"

#include <algorithm>
#include <utility>

namespace sockeye::trafficgen {

void Trace::add_frame(std::int64_t ts_ns, Bytes data, std::uint32_t orig_len) {
    frames_.push_back(Frame{ts_ns, orig_len, std::move(data)});
}

void Trace::add_packet(std::int64_t ts_ns, const LinkContext& ctx, std::uint16_t ethertype,
                       std::span<const std::uint8_t> packet, bool from_a) {
    add_frame(ts_ns, encapsulate(ctx, ethertype, packet, from_a));
}

void Trace::write_to(CaptureWriter& writer) {
    std::stable_sort(frames_.begin(), frames_.end(),
                     [](const Frame& a, const Frame& b) { return a.ts_ns < b.ts_ns; });
    for (const Frame& f : frames_) {
        writer.write(f.ts_ns, f.data, f.orig_len);
    }
}

}  // namespace sockeye::trafficgen
