#include "dpi/stream_reassembler.hpp"

#include <algorithm>

#include "decode/decoded_frame.hpp"

namespace sockeye::dpi {

bool StreamReassembler::add(std::uint32_t seq, std::uint8_t flags,
                            std::span<const std::uint8_t> payload) {
    if (!have_base_) {
        if ((flags & decode::tcp_flag::kSyn) != 0) {
            base_ = seq + 1;  // the SYN occupies one sequence number
        } else if (!payload.empty()) {
            base_ = seq;
        } else {
            return false;  // a bare ACK says nothing about where data starts
        }
        have_base_ = true;
    }
    if ((flags & decode::tcp_flag::kSyn) != 0) seq += 1;  // data on a SYN (TFO) follows it
    if (payload.empty() || full()) return false;

    // Signed distance: sequence numbers wrap, and a segment just before the
    // base is a retransmission of bytes we may partly already have.
    const auto rel = static_cast<std::int32_t>(seq - base_);
    if (rel < 0) {
        const auto skip = static_cast<std::size_t>(-static_cast<std::int64_t>(rel));
        if (skip >= payload.size()) return false;
        payload = payload.subspan(skip);
        seq = base_;
    }
    const auto offset = static_cast<std::uint32_t>(seq - base_);
    if (offset >= cap_) return false;
    const std::size_t before = data_.size();
    if (offset > data_.size()) {
        hold(offset, payload);
        return false;
    }
    append_at(offset, payload);
    drain_held();
    return data_.size() > before;
}

bool StreamReassembler::starts_empty(std::uint32_t seq, std::uint8_t flags,
                                     std::span<const std::uint8_t> payload) const {
    if (payload.empty() || !data_.empty() || held_count_ != 0 || cap_ == 0) return false;
    if (!have_base_) return true;  // this segment sets the base: it starts the stream
    const std::uint32_t first = (flags & decode::tcp_flag::kSyn) != 0 ? seq + 1 : seq;
    return first == base_;
}

void StreamReassembler::append_at(std::uint32_t offset, std::span<const std::uint8_t> bytes) {
    // Bytes below data_.size() are retransmissions: the first copy wins.
    const std::size_t have = data_.size() - offset;
    if (have >= bytes.size()) return;
    auto fresh = bytes.subspan(have);
    const std::size_t room = cap_ - data_.size();
    if (fresh.size() > room) fresh = fresh.first(room);
    data_.insert(data_.end(), fresh.begin(), fresh.end());
}

void StreamReassembler::hold(std::uint32_t offset, std::span<const std::uint8_t> bytes) {
    for (std::size_t i = 0; i < held_count_; ++i)
        if (held_[i].offset == offset) return;  // retransmitted out-of-order segment
    const std::size_t room = cap_ - std::min<std::size_t>(cap_, offset);
    if (bytes.size() > room) bytes = bytes.first(room);
    if (held_count_ == kMaxHeldSegments || held_bytes_ + bytes.size() > kMaxHeldBytes) return;
    held_[held_count_].offset = offset;
    held_[held_count_].bytes.assign(bytes.begin(), bytes.end());
    ++held_count_;
    held_bytes_ += bytes.size();
}

void StreamReassembler::drain_held() {
    // Each pass either places or discards at least one held segment, so the
    // loop ends after at most kMaxHeldSegments passes.
    bool progress = true;
    while (progress && held_count_ > 0) {
        progress = false;
        for (std::size_t i = 0; i < held_count_; ++i) {
            if (held_[i].offset > data_.size()) continue;
            append_at(held_[i].offset, held_[i].bytes);
            held_bytes_ -= held_[i].bytes.size();
            held_[i].bytes.clear();
            held_[i].bytes.shrink_to_fit();
            std::swap(held_[i], held_[held_count_ - 1]);
            --held_count_;
            progress = true;
            break;
        }
    }
}

std::size_t StreamReassembler::buffered_bytes() const {
    std::size_t n = data_.capacity();
    for (std::size_t i = 0; i < held_count_; ++i) n += held_[i].bytes.capacity();
    return n;
}

void StreamReassembler::release() {
    data_.clear();
    data_.shrink_to_fit();
    for (auto& h : held_) {
        h.bytes.clear();
        h.bytes.shrink_to_fit();
    }
    held_count_ = 0;
    held_bytes_ = 0;
    cap_ = 0;
}

}  // namespace sockeye::dpi
