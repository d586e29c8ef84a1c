// The hand-off every export writer uses between the thread that produces
// items (the packet or snapshot thread, which must never block) and the one
// thread that writes them (file writer, IPFIX sender).
//
//   - bounded: each item weighs something (bytes, or 1 for a record); a push
//     past the capacity is dropped and counted, never waited for;
//   - items may be held back until they are due (an AsyncWriter's hold);
//   - the consumer takes batches; with `count_in_flight` a batch still
//     weighs against the capacity until finish_batch(), which puts back
//     what the consumer could not handle, in front, in order;
//   - pause_until(): no batch before then (a sender's backoff after a failed
//     send); Backoff below computes the doubling delays;
//   - close(deadline): no more pushes; the consumer drains what is queued
//     until the deadline, then the rest is dropped and counted; a consumer
//     waiting in take() wakes at once;
//   - stop(): the consumer gave up (a write error): everything queued and
//     every later push is dropped and counted.
//
// Thread-safe; one consumer thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iterator>
#include <limits>
#include <mutex>
#include <utility>

#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

// What a queue lost: items refused or thrown away, and their bytes.
struct QueueDrops {
    std::uint64_t items = 0;
    std::uint64_t bytes = 0;
};

// An export's counters with what its queue dropped: the counters() of
// every writer that sits behind a BoundedQueue.
inline snapshot::ExportCounters with_drops(snapshot::ExportCounters counters, const QueueDrops& drops) {
    counters.dropped = drops.items;
    counters.dropped_bytes = drops.bytes;
    return counters;
}

// Doubling delays from `min` to `max`; reset() after a success.
class Backoff {
public:
    Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max) : min_(min), max_(max) {}
    // The delay before the next attempt after one more failure.
    std::chrono::milliseconds next() {
        current_ = current_.count() == 0 ? min_ : std::min(current_ * 2, max_);
        return current_;
    }
    void reset() { current_ = std::chrono::milliseconds{0}; }

private:
    std::chrono::milliseconds min_, max_;
    std::chrono::milliseconds current_{0};
};

template <typename Item>
class BoundedQueue {
public:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        Item item;
        std::size_t weight = 0;   // counts against the capacity
        std::uint64_t bytes = 0;  // counted as lost bytes when dropped
        Clock::time_point due{};  // not taken before
    };
    using Batch = std::deque<Entry>;
    static constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

    explicit BoundedQueue(std::size_t capacity, bool count_in_flight = false)
        : capacity_(capacity), count_in_flight_(count_in_flight) {}
    BoundedQueue(const BoundedQueue&) = delete;
    BoundedQueue& operator=(const BoundedQueue&) = delete;

    // Never blocks: false (and counted) when the item does not fit, or the
    // queue is closed or stopped.
    bool push(Item item, std::size_t weight, std::uint64_t bytes, Clock::time_point due = {}) {
        {
            std::lock_guard lock(mutex_);
            const std::size_t used = queued_ + (count_in_flight_ ? in_flight_ : 0);
            if (closed_ || stopped_ || weight > capacity_ || used > capacity_ - weight) {
                ++drops_.items;
                drops_.bytes += bytes;
                return false;
            }
            entries_.push_back(Entry{std::move(item), weight, bytes, due});
            queued_ += weight;
        }
        wake_.notify_all();
        return true;
    }

    // Consumer: waits until items are due (and no pause is on), then moves
    // them into `out`, oldest first: at most `max_items`, and more only
    // while the weight taken is below `max_weight` (the first always goes).
    // False once there is nothing more to take: closed and drained, closed
    // and past its deadline (what was left is dropped and counted), or
    // stopped and closed. `give_up` receives the close deadline when
    // closed (time_point::max() otherwise): a send should not outlast it.
    bool take(Batch& out, std::size_t max_items = kNoLimit, std::size_t max_weight = kNoLimit,
              Clock::time_point* give_up = nullptr) {
        std::unique_lock lock(mutex_);
        for (;;) {
            const auto now = Clock::now();
            if (closed_ && (entries_.empty() || now >= deadline_)) {
                drop_all_locked();
                return false;
            }
            if (!entries_.empty() && now >= resume_at_ && entries_.front().due <= now) break;
            if (entries_.empty()) {
                wake_.wait(lock);
                continue;
            }
            // Later items are due later: the front says when to look again.
            auto until = std::max(resume_at_, entries_.front().due);
            if (closed_) until = std::min(until, deadline_);
            wake_.wait_until(lock, until);
        }
        const auto now = Clock::now();
        std::size_t items = 0;
        std::size_t weight = 0;
        while (!entries_.empty() && items < max_items && weight < max_weight &&
               entries_.front().due <= now) {
            weight += entries_.front().weight;
            queued_ -= entries_.front().weight;
            out.push_back(std::move(entries_.front()));
            entries_.pop_front();
            ++items;
        }
        in_flight_ += weight;
        if (give_up != nullptr) *give_up = closed_ ? deadline_ : Clock::time_point::max();
        return true;
    }

    // Consumer, after each take(): `taken` is what that take() handed out
    // (its weight is no longer in flight); `rest`, the part the consumer
    // could not handle, goes back in front in its order (dropped and
    // counted when the queue was stopped meanwhile).
    void finish_batch(std::size_t taken_weight, Batch rest = {}) {
        std::lock_guard lock(mutex_);
        in_flight_ -= std::min(in_flight_, taken_weight);
        if (stopped_) {
            for (const auto& e : rest) count_drop_locked(e);
            return;
        }
        for (const auto& e : rest) queued_ += e.weight;
        entries_.insert(entries_.begin(), std::make_move_iterator(rest.begin()),
                        std::make_move_iterator(rest.end()));
    }

    // Consumer: items it took and then lost (a failed write), counted.
    void count_lost(std::uint64_t items, std::uint64_t bytes) {
        std::lock_guard lock(mutex_);
        drops_.items += items;
        drops_.bytes += bytes;
    }

    // Consumer: no batch before `when` (a take() waiting then wakes at it).
    void pause_until(Clock::time_point when) {
        std::lock_guard lock(mutex_);
        resume_at_ = when;
    }

    // No more pushes; the consumer may drain until `deadline`. Wakes a
    // consumer waiting in take(). A second close keeps the first deadline.
    void close(Clock::time_point deadline = Clock::time_point::max()) {
        {
            std::lock_guard lock(mutex_);
            if (!closed_) deadline_ = deadline;
            closed_ = true;
        }
        wake_.notify_all();
    }

    // The consumer gave up: what is queued now and everything pushed later
    // is dropped and counted.
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopped_ = true;
            drop_all_locked();
        }
        wake_.notify_all();
    }

    [[nodiscard]] QueueDrops drops() const {
        std::lock_guard lock(mutex_);
        return drops_;
    }
    // Weight queued (not in flight).
    [[nodiscard]] std::size_t queued_weight() const {
        std::lock_guard lock(mutex_);
        return queued_;
    }
    [[nodiscard]] std::size_t size() const {
        std::lock_guard lock(mutex_);
        return entries_.size();
    }

private:
    void count_drop_locked(const Entry& e) {
        ++drops_.items;
        drops_.bytes += e.bytes;
    }
    void drop_all_locked() {
        for (const auto& e : entries_) count_drop_locked(e);
        entries_.clear();
        queued_ = 0;
    }

    const std::size_t capacity_;
    const bool count_in_flight_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Entry> entries_;
    std::size_t queued_ = 0;
    std::size_t in_flight_ = 0;
    bool closed_ = false;
    bool stopped_ = false;
    Clock::time_point deadline_ = Clock::time_point::max();
    Clock::time_point resume_at_{};
    QueueDrops drops_;
};

}  // namespace sockeye::exports
