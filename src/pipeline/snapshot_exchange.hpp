// The hand-off between the packet thread (which owns the engine) and the
// thread that shows snapshots: the packet thread publishes at its cadence,
// the watcher takes the newest whenever it looks (or waits for one). The
// packet thread never waits for the watcher.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "snapshot/snapshot.hpp"

namespace sockeye::pipeline {

class SnapshotExchange {
public:
    // Packet thread. `last`: the capture has ended (end of file, an error,
    // a stop) and this is its final snapshot.
    void publish(std::shared_ptr<const snapshot::Snapshot> snap, bool last = false) {
        {
            std::lock_guard lock(mutex_);
            latest_ = std::move(snap);
            ++version_;
            if (last) finished_.store(true, std::memory_order_release);
        }
        changed_.notify_all();
    }
    // Watcher: the newest snapshot if it is newer than `seen`, else null.
    std::shared_ptr<const snapshot::Snapshot> take_newer(std::uint64_t& seen) {
        std::lock_guard lock(mutex_);
        if (version_ == seen) return nullptr;
        seen = version_;
        return latest_;
    }
    // Watcher: take_newer(), waiting up to `timeout` for one.
    std::shared_ptr<const snapshot::Snapshot> wait_newer(std::uint64_t& seen,
                                                         std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return version_ != seen; });
        if (version_ == seen) return nullptr;
        seen = version_;
        return latest_;
    }

    // Once the final snapshot is published.
    [[nodiscard]] bool finished() const { return finished_.load(std::memory_order_acquire); }

private:
    std::atomic<bool> finished_{false};
    std::mutex mutex_;
    std::condition_variable changed_;
    std::shared_ptr<const snapshot::Snapshot> latest_;
    std::uint64_t version_ = 0;
};

}  // namespace sockeye::pipeline
