#include "dpi/protocols/quic_crypto_stream.hpp"

#include <algorithm>

namespace sockeye::dpi::quic {
namespace {

// Most ClientHellos fit here, so the buffer is usually allocated once.
constexpr std::size_t kInitialBytes = 2048;

}  // namespace

CryptoStream::AddStatus CryptoStream::add(std::uint64_t offset,
                                          std::span<const std::uint8_t> data) {
    if (data.empty()) return AddStatus::ok;
    if (offset >= kMaxBytes) return AddStatus::clipped;
    const auto begin = static_cast<std::size_t>(offset);
    const std::size_t end = std::min(kMaxBytes, begin + std::min(data.size(), kMaxBytes));
    if (!insert_range(begin, end)) return AddStatus::too_fragmented;
    if (buffer_.size() < end) {
        if (buffer_.capacity() < end) buffer_.reserve(std::max(end, kInitialBytes));
        buffer_.resize(end);
    }
    // Overlapping retransmissions carry the same bytes, so later ones may
    // simply overwrite earlier ones.
    std::copy_n(data.begin(), end - begin,
                buffer_.begin() + static_cast<std::ptrdiff_t>(begin));
    return end - begin < data.size() ? AddStatus::clipped : AddStatus::ok;
}

bool CryptoStream::insert_range(std::size_t begin, std::size_t end) {
    // Ranges that overlap or touch [begin, end) merge with it.
    std::size_t first = 0;
    while (first < range_count_ && ranges_[first].end < begin) ++first;
    std::size_t last = first;
    while (last < range_count_ && ranges_[last].begin <= end) ++last;
    if (first == last) {
        if (range_count_ == kMaxRanges) return false;
        for (std::size_t i = range_count_; i > first; --i) ranges_[i] = ranges_[i - 1];
        ranges_[first] = Range{begin, end};
        ++range_count_;
        return true;
    }
    ranges_[first].begin = std::min(begin, ranges_[first].begin);
    ranges_[first].end = std::max(end, ranges_[last - 1].end);
    const std::size_t removed = last - first - 1;
    for (std::size_t i = last; i < range_count_; ++i) ranges_[i - removed] = ranges_[i];
    range_count_ -= removed;
    return true;
}

std::span<const std::uint8_t> CryptoStream::contiguous() const {
    if (range_count_ == 0 || ranges_[0].begin != 0) return {};
    return std::span<const std::uint8_t>(buffer_).first(ranges_[0].end);
}

void CryptoStream::release() {
    std::vector<std::uint8_t>().swap(buffer_);
    range_count_ = 0;
}

}  // namespace sockeye::dpi::quic
