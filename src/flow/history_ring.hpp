// Ended flows kept for reporting: a bounded ring, oldest dropped first.
#pragma once

#include <cstddef>
#include <vector>

#include "snapshot/flow_record.hpp"

namespace sockeye::flow {

class HistoryRing {
public:
    explicit HistoryRing(std::size_t capacity);

    // Returns false when the oldest record had to be dropped (or, with a
    // capacity of zero, `r` itself).
    bool push(const snapshot::FlowRecord& r);
    [[nodiscard]] std::size_t size() const { return size_; }
    // Oldest first.
    template <typename Fn>
    void for_each(Fn&& fn) const {
        for_each_newest(size_, fn);
    }
    // The `n` most recently pushed records (all when fewer), oldest first.
    template <typename Fn>
    void for_each_newest(std::size_t n, Fn&& fn) const {
        const std::size_t skip = n < size_ ? size_ - n : 0;
        for (std::size_t i = skip; i < size_; ++i) fn(records_[(head_ + i) % capacity_]);
    }
    [[nodiscard]] std::size_t memory_bytes() const {
        return records_.capacity() * sizeof(snapshot::FlowRecord);
    }

private:
    std::vector<snapshot::FlowRecord> records_;  // grows to capacity_, then wraps
    std::size_t capacity_;
    std::size_t head_ = 0;  // oldest record once the ring is full
    std::size_t size_ = 0;
};

}  // namespace sockeye::flow
