// Export writing off the packet path: the packet (or snapshot) thread hands
// items to a bounded queue and one writer thread renders and writes them.
// A full queue drops the item and counts it; a write error (full disk,
// closed pipe) is kept once, stops that export and never stops capture.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "core/result.hpp"
#include "export/bounded_queue.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

// A file opened for writing (created or truncated), or stdout for "-".
class FileSink {
public:
    // Fails, coded by errno, when the file cannot be opened.
    static core::Result<std::unique_ptr<FileSink>> open(const std::string& path);
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
        : sink_(std::move(sink)),
          render_(std::move(render)),
          options_(options),
          queue_(options.max_queued_bytes) {
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
        return queue_.push(std::move(item), cost, cost, Clock::now() + options_.hold);
    }

    // Writes everything queued (still honouring the hold) and stops the
    // thread. Idempotent.
    void close() {
        start();  // writes the preamble even when nothing was pushed
        queue_.close();
        if (thread_.joinable()) thread_.join();
    }

    // Starts the writer thread now (idempotent, any thread).
    void start() {
        std::call_once(started_, [this] { thread_ = std::thread([this] { run(); }); });
    }

    [[nodiscard]] snapshot::ExportCounters counters() const {
        snapshot::ExportCounters c;
        {
            std::lock_guard lock(mutex_);
            c = counters_;
        }
        return with_drops(c, queue_.drops());
    }

private:
    using Queue = BoundedQueue<Item>;
    using Clock = typename Queue::Clock;
    static constexpr std::size_t kBatchBytes = 256 * 1024;

    void run() {
        // The preamble goes out first, even when nothing is ever queued.
        if (!pending_.empty()) write_pending(0);
        typename Queue::Batch batch;
        while (queue_.take(batch, Queue::kNoLimit, kBatchBytes)) {
            std::size_t weight = 0;
            for (auto& e : batch) {
                render_(e.item, pending_);
                weight += e.weight;
            }
            const std::size_t rendered_items = batch.size();
            batch.clear();
            queue_.finish_batch(weight);
            write_pending(rendered_items);
        }
    }

    // Writes what was rendered; the first error stops the export: what was
    // rendered and what is queued is counted as lost.
    void write_pending(std::size_t rendered_items) {
        const bool ok = pending_.empty() || sink_->write(pending_);
        pending_.clear();
        if (ok) {
            std::lock_guard lock(mutex_);
            counters_.written += rendered_items;
            return;
        }
        {
            std::lock_guard lock(mutex_);
            if (counters_.error.empty()) counters_.error = sink_->error();
        }
        queue_.count_lost(rendered_items, 0);
        queue_.stop();
    }

    std::unique_ptr<FileSink> sink_;
    Render render_;
    AsyncWriterOptions options_;
    std::string pending_;  // writer thread only

    Queue queue_;
    mutable std::mutex mutex_;  // counters_
    snapshot::ExportCounters counters_;
    std::once_flag started_;
    std::thread thread_;
};

}  // namespace sockeye::exports
