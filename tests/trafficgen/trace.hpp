// Collects the frames of a scenario with their timestamps, then writes them
// in time order. Scenarios build conversations one after another but with
// overlapping times; sorting here is what interleaves them. (bench-mix
// streams straight to the writer instead: a million frames is too many to hold.)
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "capture_writer.hpp"
#include "packet_builder.hpp"

namespace sockeye::trafficgen {

// 2024-01-01T00:00:00Z: every scenario starts here.
constexpr std::int64_t kEpochNs = 1704067200LL * 1000000000LL;
constexpr std::int64_t kUs = 1000;
constexpr std::int64_t kMs = 1000 * kUs;

class Trace {
public:
    // A ready-made link-layer frame; orig_len > data.size() models snaplen cuts.
    void add_frame(std::int64_t ts_ns, Bytes data, std::uint32_t orig_len = 0);
    // A network-layer packet, wrapped for ctx.link.
    void add_packet(std::int64_t ts_ns, const LinkContext& ctx, std::uint16_t ethertype,
                    std::span<const std::uint8_t> packet, bool from_a);

    // Stable sort by time (insertion order breaks ties) and write everything.
    void write_to(CaptureWriter& writer);

    [[nodiscard]] std::size_t size() const { return frames_.size(); }

private:
    struct Frame {
        std::int64_t ts_ns = 0;
        std::uint32_t orig_len = 0;
        Bytes data;
    };
    std::vector<Frame> frames_;
};

// The ethertype matching an address family.
inline std::uint16_t ethertype_for(const Addr& a) { return a.v6 ? kEtherIpv6 : kEtherIpv4; }

}  // namespace sockeye::trafficgen
