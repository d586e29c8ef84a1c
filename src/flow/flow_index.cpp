#include "flow/flow_index.hpp"

#include <algorithm>
#include <bit>

namespace sockeye::flow {

namespace {
// Small enough to stay in cache for a handful of flows, large enough that
// the first doublings come only with real traffic.
constexpr std::size_t kInitialBuckets = 1024;
}  // namespace

FlowIndex::FlowIndex(std::size_t max_entries) {
    const std::size_t wanted = max_entries < 8 ? 16 : max_entries * 2;
    max_buckets_ = std::bit_ceil(wanted);
    buckets_.resize(std::min(max_buckets_, kInitialBuckets));
    mask_ = buckets_.size() - 1;
}

void FlowIndex::place(Bucket b) {
    for (std::size_t pos = home_of(b.tag), n = 0; n <= mask_; pos = (pos + 1) & mask_, ++n) {
        if (buckets_[pos].slot == kNone) {
            buckets_[pos] = b;
            return;
        }
    }
}

void FlowIndex::grow() {
    Buckets old(buckets_.size() * 2);
    old.swap(buckets_);
    mask_ = buckets_.size() - 1;
    for (const Bucket& b : old) {
        if (b.slot != kNone) place(b);
    }
}

void FlowIndex::insert(std::uint64_t hash, std::uint32_t slot) {
    if ((entries_ + 1) * 2 > buckets_.size() && buckets_.size() < max_buckets_) grow();
    place(Bucket{tag_of(hash), slot});
    ++entries_;
}

void FlowIndex::erase(std::uint64_t hash, std::uint32_t slot) {
    const std::uint32_t tag = tag_of(hash);
    std::size_t hole = mask_ + 1;
    for (std::size_t pos = home_of(tag), n = 0; n <= mask_; pos = (pos + 1) & mask_, ++n) {
        if (buckets_[pos].slot == kNone) return;  // not present
        if (buckets_[pos].slot == slot) {
            hole = pos;
            break;
        }
    }
    if (hole > mask_) return;
    --entries_;
    // Backward shift: pull each later entry of the run into the hole unless
    // its home lies cyclically after the hole (moving it would hide it).
    std::size_t next = (hole + 1) & mask_;
    for (std::size_t n = 0; n < mask_ && buckets_[next].slot != kNone; ++n) {
        const std::size_t home = home_of(buckets_[next].tag);
        const std::size_t dist_home = (next - home) & mask_;
        const std::size_t dist_hole = (next - hole) & mask_;
        if (dist_home >= dist_hole) {
            buckets_[hole] = buckets_[next];
            hole = next;
        }
        next = (next + 1) & mask_;
    }
    buckets_[hole] = Bucket{};
}

}  // namespace sockeye::flow
