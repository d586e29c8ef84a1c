// Bytes per second per direction over a sliding window, from a few fixed
// time buckets: constant size and no allocation however busy the flow is.
//
// The one rate definition sockeye shows everywhere (flows, processes,
// interfaces): the bytes of the last kWindowBuckets whole buckets of packet
// time (the window, 5 s by default, in buckets of 1.25 s), divided by its
// length. The bucket still filling is left out, so a steady stream reads
// exactly its rate (a new one shows it once its first bucket is whole).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "flow/flow_key.hpp"

namespace sockeye::flow {

class RateMeter {
public:
    // The whole buckets the rate averages, plus the one still filling.
    // Four, not five: a fifth bucket would take FlowEntry past six cache lines.
    static constexpr std::size_t kWindowBuckets = 4;
    static constexpr std::size_t kBuckets = kWindowBuckets + 1;

    // Inline for the frame that lands in the newest bucket, as most do.
    void add(Side sender, std::int64_t ts_ns, std::uint64_t bytes, std::int64_t bucket_ns) {
        if (newest_start_ns_ != kNoBucket && ts_ns >= newest_start_ns_ &&
            ts_ns - newest_start_ns_ < bucket_ns) [[likely]] {
            bytes_[side_index(sender)][newest_slot_] += bytes;
            return;
        }
        add_elsewhere(sender, ts_ns, bytes, bucket_ns);
    }
    // Rate as of `now_ns` over the window kWindowBuckets * bucket_ns.
    [[nodiscard]] double bytes_per_s(Side sender, std::int64_t now_ns,
                                     std::int64_t bucket_ns) const;

private:
    void add_elsewhere(Side sender, std::int64_t ts_ns, std::uint64_t bytes,
                       std::int64_t bucket_ns);
    static std::int64_t bucket_of(std::int64_t ts_ns, std::int64_t bucket_ns);
    static std::size_t slot_of(std::int64_t bucket);
    void advance_to(std::int64_t bucket, std::int64_t bucket_ns);

    static constexpr std::int64_t kNoBucket = std::numeric_limits<std::int64_t>::min();
    // Start time of the newest bucket, and its slot: most frames land in it,
    // and this lets them skip the 64-bit divisions of the general path.
    std::int64_t newest_start_ns_ = kNoBucket;
    std::array<std::array<std::uint64_t, kBuckets>, 2> bytes_{};
    std::uint8_t newest_slot_ = 0;
};

}  // namespace sockeye::flow
