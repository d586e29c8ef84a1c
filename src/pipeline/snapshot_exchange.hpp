// The hand-off between the packet thread (which owns the engine) and the UI
// thread: the UI asks for a snapshot, the packet thread builds one at its
// next chance and publishes it. Neither side ever waits for the other.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "snapshot/snapshot.hpp"

namespace sockeye::pipeline {

class SnapshotExchange {
public:
    // UI thread: please publish a fresh snapshot soon.
    void request() { requested_.store(true, std::memory_order_release); }
    // Packet thread: true once per request.
    bool take_request() { return requested_.exchange(false, std::memory_order_acq_rel); }

    // Packet thread.
    void publish(std::shared_ptr<const snapshot::Snapshot> snap) {
        std::lock_guard lock(mutex_);
        latest_ = std::move(snap);
        ++version_;
    }
    // UI thread: the newest snapshot if it is newer than `seen`, else null.
    std::shared_ptr<const snapshot::Snapshot> take_newer(std::uint64_t& seen) {
        std::lock_guard lock(mutex_);
        if (version_ == seen) return nullptr;
        seen = version_;
        return latest_;
    }

    // Packet thread: the source has ended (end of file, or an error).
    void mark_finished() { finished_.store(true, std::memory_order_release); }
    [[nodiscard]] bool finished() const { return finished_.load(std::memory_order_acquire); }

private:
    std::atomic<bool> requested_{false};
    std::atomic<bool> finished_{false};
    std::mutex mutex_;
    std::shared_ptr<const snapshot::Snapshot> latest_;
    std::uint64_t version_ = 0;
};

}  // namespace sockeye::pipeline
