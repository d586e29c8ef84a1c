#include "flow/flow_index.hpp"

#include <bit>

namespace sockeye::flow {

FlowIndex::FlowIndex(std::size_t max_entries) {
    const std::size_t wanted = max_entries < 8 ? 16 : max_entries * 2;
    buckets_.resize(std::bit_ceil(wanted));
    mask_ = buckets_.size() - 1;
}

void FlowIndex::insert(std::uint64_t hash, std::uint32_t slot) {
    const std::uint32_t tag = tag_of(hash);
    for (std::size_t pos = home_of(tag), n = 0; n <= mask_; pos = (pos + 1) & mask_, ++n) {
        if (buckets_[pos].slot == kNone) {
            buckets_[pos] = Bucket{tag, slot};
            return;
        }
    }
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
