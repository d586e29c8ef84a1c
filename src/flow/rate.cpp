#include "flow/rate.hpp"

#include <algorithm>

namespace sockeye::flow {

namespace {
constexpr std::int64_t kBucketCount = static_cast<std::int64_t>(RateMeter::kBuckets);
constexpr double kNsPerSecond = 1e9;
}  // namespace

std::int64_t RateMeter::bucket_of(std::int64_t ts_ns, std::int64_t bucket_ns) {
    // Floor division, so timestamps before the epoch still land in order.
    std::int64_t q = ts_ns / bucket_ns;
    if (ts_ns % bucket_ns != 0 && ts_ns < 0) --q;
    return q;
}

std::size_t RateMeter::slot_of(std::int64_t bucket) {
    const std::int64_t r = bucket % kBucketCount;
    return static_cast<std::size_t>(r < 0 ? r + kBucketCount : r);
}

void RateMeter::add_elsewhere(Side sender, std::int64_t ts_ns, std::uint64_t bytes,
                              std::int64_t bucket_ns) {
    const std::int64_t bucket = bucket_of(ts_ns, bucket_ns);
    if (newest_start_ns_ != kNoBucket) {
        const std::int64_t newest = newest_start_ns_ / bucket_ns;  // exact multiple
        if (bucket <= newest - kBucketCount) return;  // older than the window: reordered capture
        if (bucket < newest) {
            bytes_[side_index(sender)][slot_of(bucket)] += bytes;
            return;
        }
    }
    advance_to(bucket, bucket_ns);
    bytes_[side_index(sender)][newest_slot_] += bytes;
}

void RateMeter::advance_to(std::int64_t bucket, std::int64_t bucket_ns) {
    if (newest_start_ns_ != kNoBucket) {
        // Clear the slots being reused; at most kBuckets of them.
        const std::int64_t newest = newest_start_ns_ / bucket_ns;
        const std::int64_t stale = std::min(bucket - newest, kBucketCount);
        for (std::int64_t k = 1; k <= stale; ++k) {
            const std::size_t slot = slot_of(newest + k);
            bytes_[0][slot] = 0;
            bytes_[1][slot] = 0;
        }
    }
    newest_start_ns_ = bucket * bucket_ns;
    newest_slot_ = static_cast<std::uint8_t>(slot_of(bucket));
}

double RateMeter::bytes_per_s(Side sender, std::int64_t now_ns, std::int64_t bucket_ns) const {
    if (newest_start_ns_ == kNoBucket) return 0.0;
    const std::int64_t newest = newest_start_ns_ / bucket_ns;
    const std::int64_t now_bucket = bucket_of(now_ns, bucket_ns);
    constexpr std::int64_t kWindow = static_cast<std::int64_t>(RateMeter::kWindowBuckets);
    std::uint64_t sum = 0;
    for (std::int64_t k = 0; k < kBucketCount; ++k) {
        const std::int64_t bucket = newest - k;
        // Whole buckets only: the one `now` falls in is still filling.
        if (bucket < now_bucket && bucket >= now_bucket - kWindow) {
            sum += bytes_[side_index(sender)][slot_of(bucket)];
        }
    }
    const double window_s =
        static_cast<double>(bucket_ns) * static_cast<double>(kWindow) / kNsPerSecond;
    return static_cast<double>(sum) / window_s;
}

}  // namespace sockeye::flow
