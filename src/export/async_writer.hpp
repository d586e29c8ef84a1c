// Export writing off the packet path: the packet (or snapshot) thread hands
// items to a bounded queue and one writer thread renders and writes them.
// A full queue drops the item and counts it; a write error (full disk,
// closed pipe) is kept once, stops that export and never stops capture.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

// A file opened for writing (created or truncated), or stdout for "-".
class FileSink {
public:
    // Null with `error` set when the file cannot be opened.
    static std::unique_ptr<FileSink> open(const std::string& path, std::string& error);
    ~FileSink();
    FileSink(const FileSink&) = delete;
    FileSink& operator=(const FileSink&) = delete;

    // Writes everything or returns false with error() set.
    bool write(std::string_view bytes);
    [[nodiscard]] const std::string& error() const { return error_; }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    FileSink(int fd, std::string path, bool owned) : fd_(fd), path_(std::move(path)), owned_(owned) {}

    int fd_;
    std::string path_;
    bool owned_;
    std::string error_;
};

struct AsyncWriterOptions {
    std::size_t max_queued_bytes = std::size_t{32} << 20;
    // Every item waits this long in the queue before it is rendered, so
    // answers that arrive a little after the packet (the owning process of a
    // flow's first packets) still make it into the output.
    std::chrono::milliseconds hold{0};
    // false: the writer thread starts in the constructor. true: with the
    // first push(), close() or start(), so an export opened before the
    // sandbox (sockeye's start-up) gets its thread only inside it.
    bool start_later = false;
};

// Items of type `Item` are rendered to bytes by `render` on the writer
// thread (which may keep state there: it is the only thread that calls it).
template <typename Item>
class AsyncWriter {
public:
    using Render = std::function<void(Item& item, std::string& out)>;

    AsyncWriter(std::string name, std::unique_ptr<FileSink> sink, Render render,
                std::string preamble, AsyncWriterOptions options = {})
        : sink_(std::move(sink)), render_(std::move(render)), options_(options) {
        counters_.name = std::move(name);
        counters_.path = sink_->path();
        pending_ = std::move(preamble);
        if (!options_.start_later) start();
    }
    ~AsyncWriter() { close(); }
    AsyncWriter(const AsyncWriter&) = delete;
    AsyncWriter& operator=(const AsyncWriter&) = delete;

    // Never blocks on I/O: false (and counted) when the queue is full or the
    // export has stopped. `cost`: the item's approximate size in bytes.
    bool push(Item item, std::size_t cost) {
        start();
        const auto due = Clock::now() + options_.hold;
        {
            std::lock_guard lock(mutex_);
            if (failed_ || closing_ || queued_bytes_ + cost > options_.max_queued_bytes) {
                ++counters_.dropped;
                counters_.dropped_bytes += cost;
                return false;
            }
            queue_.push_back(Entry{std::move(item), cost, due});
            queued_bytes_ += cost;
        }
        wake_.notify_one();
        return true;
    }

    // Writes everything queued (still honouring the hold) and stops the
    // thread. Idempotent.
    void close() {
        start();  // writes the preamble even when nothing was pushed
        {
            std::lock_guard lock(mutex_);
            closing_ = true;
        }
        wake_.notify_one();
        if (thread_.joinable()) thread_.join();
    }

    // Starts the writer thread now (idempotent, any thread).
    void start() {
        std::call_once(started_, [this] { thread_ = std::thread([this] { run(); }); });
    }

    [[nodiscard]] snapshot::ExportCounters counters() const {
        std::lock_guard lock(mutex_);
        return counters_;
    }

private:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        Item item;
        std::size_t cost;
        Clock::time_point due;
    };
    static constexpr std::size_t kBatchBytes = 256 * 1024;

    void run() {
        std::deque<Entry> batch;
        for (;;) {
            std::size_t rendered_items = 0;
            {
                std::unique_lock lock(mutex_);
                // pending_ holds the preamble before the first round.
                wake_.wait(lock, [this] { return closing_ || !queue_.empty() || !pending_.empty(); });
                if (queue_.empty() && closing_ && pending_.empty()) return;
                if (pending_.empty() && !queue_.empty() && queue_.front().due > Clock::now()) {
                    // Sleep until the oldest item is due (later items are due later).
                    wake_.wait_until(lock, queue_.front().due);
                    continue;
                }
                take_due(batch);
            }
            for (auto& e : batch) {
                render_(e.item, pending_);
                ++rendered_items;
            }
            batch.clear();
            const bool ok = pending_.empty() || sink_->write(pending_);
            pending_.clear();
            std::lock_guard lock(mutex_);
            if (ok) {
                counters_.written += rendered_items;
            } else {
                fail_locked(rendered_items);
            }
            if (failed_ && closing_) return;
        }
    }

    // Moves due items, up to a batch, out of the queue (mutex held).
    void take_due(std::deque<Entry>& batch) {
        const auto now = Clock::now();
        std::size_t bytes = 0;
        while (!queue_.empty() && queue_.front().due <= now && bytes < kBatchBytes) {
            bytes += queue_.front().cost;
            queued_bytes_ -= queue_.front().cost;
            batch.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
    }

    // The first error stops the export: what was queued is counted as lost.
    void fail_locked(std::size_t lost_items) {
        if (!failed_) counters_.error = sink_->error();
        failed_ = true;
        counters_.dropped += lost_items + queue_.size();
        counters_.dropped_bytes += queued_bytes_;
        queue_.clear();
        queued_bytes_ = 0;
    }

    std::unique_ptr<FileSink> sink_;
    Render render_;
    AsyncWriterOptions options_;
    std::string pending_;  // writer thread only

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Entry> queue_;
    std::size_t queued_bytes_ = 0;
    bool closing_ = false;
    bool failed_ = false;
    snapshot::ExportCounters counters_;
    std::once_flag started_;
    std::thread thread_;
};

}  // namespace sockeye::exports
