// Open-addressing hash index from a flow key's hash to its slab slot.
//
// Linear probing over a power-of-two array kept at most half full. It starts
// small and doubles with the flow count up to the size the table cap needs,
// never beyond and never shrinking: a lookup reads one random bucket per
// frame, and 10k flows in a 2 MiB array sized for the 100k cap would miss
// the cache on nearly every one (a quarter of `-r FILE`'s cycles). Each
// doubling rehashes from the stored tags alone (amortised O(1) per insert;
// the largest, at the cap, moves 100k entries once). Each bucket holds 32
// bits of the hash and the slot, so most mismatches are rejected without
// touching the slab. Deletion shifts the following run back (no
// tombstones), keeping probe lengths short under constant churn.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "flow/huge_page_allocator.hpp"

namespace sockeye::flow {

class FlowIndex {
public:
    static constexpr std::uint32_t kNone = 0xFFFF'FFFFU;

    explicit FlowIndex(std::size_t max_entries);

    // The slot whose hash matches and for which `same_key(slot)` holds, or kNone.
    template <typename SameKey>
    [[nodiscard]] std::uint32_t find(std::uint64_t hash, SameKey&& same_key) const {
        const std::uint32_t tag = tag_of(hash);
        for (std::size_t pos = home_of(tag), n = 0; n <= mask_; pos = (pos + 1) & mask_, ++n) {
            const Bucket& b = buckets_[pos];
            if (b.slot == kNone) return kNone;
            if (b.tag == tag && same_key(b.slot)) return b.slot;
        }
        return kNone;
    }

    // Starts loading the home bucket of `hash` (a hint: nothing changes).
    void prefetch(std::uint64_t hash) const {
        __builtin_prefetch(&buckets_[home_of(tag_of(hash))]);
    }
    // The slot of the first bucket from the home of `hash` whose tag
    // matches, without comparing keys (for prefetching its entry), or kNone.
    [[nodiscard]] std::uint32_t likely_slot(std::uint64_t hash) const {
        const std::uint32_t tag = tag_of(hash);
        for (std::size_t pos = home_of(tag), n = 0; n <= mask_; pos = (pos + 1) & mask_, ++n) {
            const Bucket& b = buckets_[pos];
            if (b.slot == kNone || b.tag == tag) return b.slot;
        }
        return kNone;
    }

    // The caller guarantees the key is absent and at most `max_entries` entries.
    void insert(std::uint64_t hash, std::uint32_t slot);
    void erase(std::uint64_t hash, std::uint32_t slot);

    [[nodiscard]] std::size_t bucket_count() const { return buckets_.size(); }
    [[nodiscard]] std::size_t memory_bytes() const { return buckets_.capacity() * sizeof(Bucket); }

private:
    struct Bucket {
        std::uint32_t tag = 0;
        std::uint32_t slot = kNone;
    };

    // 32 bits of the (fully mixed) hash: its low bits pick the home bucket,
    // its high bits tell apart the neighbours met while probing.
    static std::uint32_t tag_of(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32U); }
    [[nodiscard]] std::size_t home_of(std::uint32_t tag) const { return tag & mask_; }
    void place(Bucket b);  // into the first free bucket of its run
    void grow();

    using Buckets = std::vector<Bucket, HugePageAllocator<Bucket>>;
    Buckets buckets_;
    std::size_t mask_ = 0;
    std::size_t entries_ = 0;
    std::size_t max_buckets_ = 0;  // what the cap needs at load 1/2
};

}  // namespace sockeye::flow
