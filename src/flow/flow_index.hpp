// Open-addressing hash index from a flow key's hash to its slab slot.
//
// Linear probing over a power-of-two array sized once (load <= 1/2) from the
// table cap, so the packet path never rehashes. Each bucket holds 32 bits of
// the hash and the slot, so most mismatches are rejected without touching
// the slab. Deletion shifts the following run back (no tombstones), keeping
// probe lengths short under constant churn.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

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

    // The caller guarantees the key is absent and the index below capacity.
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

    std::vector<Bucket> buckets_;
    std::size_t mask_ = 0;
};

}  // namespace sockeye::flow
