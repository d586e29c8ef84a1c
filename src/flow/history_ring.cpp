#include "flow/history_ring.hpp"

namespace sockeye::flow {

HistoryRing::HistoryRing(std::size_t capacity) : capacity_(capacity) {
    // Reserved, not filled: untouched pages cost nothing until flows end.
    records_.reserve(capacity);
}

bool HistoryRing::push(const snapshot::FlowRecord& r) {
    if (capacity_ == 0) return false;
    if (size_ < capacity_) {
        records_.push_back(r);
        ++size_;
        return true;
    }
    records_[head_] = r;
    head_ = (head_ + 1) % capacity_;
    return false;
}

}  // namespace sockeye::flow
