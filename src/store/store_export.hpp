// --record FILE: the history store as an export. Each export snapshot's
// flows (ended ones once, open ones as they change, every open one at exit)
// go into a bounded queue on the packet thread; the recorder thread writes
// each snapshot as one transaction (Recorder), and between writes, while
// nothing waits in the queue, steps of retention, size cap and roll-up
// (maintenance.hpp) for at most kMaintenanceSlice at a time. A full queue
// drops and counts like every export; the first write error (a full disk)
// stops recording with one message, and capture goes on.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "export/bounded_queue.hpp"
#include "export/exporter.hpp"
#include "store/recorder.hpp"

namespace sockeye::store {

struct StoreExportOptions {
    // Flows queued at most (each is a FlowRecord copy, ~300 bytes).
    std::size_t max_queued_flows = 200'000;
    // Also let the sandbox write in this directory: a store directory of its
    // own (the default one), where SQLite may remove its -wal and -shm
    // files on close. Empty: only the three files.
    std::string own_directory;
    // --retain, --max-store and the roll-up, worked off between writes.
    Retention retention;
};

class StoreExport final : public exports::Exporter {
public:
    // Opens the store now (before the sandbox): created if missing, locked
    // against a second recorder, schema migrated. The thread starts in
    // start() (or with the first snapshot).
    static core::Result<std::unique_ptr<StoreExport>> open(const std::string& path,
                                                           StoreExportOptions options = {});
    ~StoreExport() override;

    void start() override;
    [[nodiscard]] bool wants_snapshots() const override { return true; }
    [[nodiscard]] bool accepts_deltas() const override { return true; }
    void on_snapshot(const snapshot::Snapshot& snap, std::span<const exports::FlowEvent> events) override;
    // Writes what is queued (the last snapshot came with on_snapshot) and
    // stops the thread.
    void finish(const snapshot::Snapshot& snap) override;
    // name "history", path the store; written = connection rows written
    // (an open flow counts at each write), dropped = flows lost.
    void append_counters(std::vector<snapshot::ExportCounters>& out) const override;
    [[nodiscard]] exports::ExportAccess access() const override;

private:
    struct Item {
        std::vector<snapshot::FlowRecord> flows;
        bool attributed = false;
        bool keyframe = false;      // from a snapshot that lists every active flow
        bool ends_keyframe = false; // its last piece
    };
    using Queue = exports::BoundedQueue<Item>;

    StoreExport(std::unique_ptr<Recorder> recorder, StoreExportOptions options);
    void push(const snapshot::Snapshot& snap, bool wait_for_room);
    void run();
    void maintain();

    std::unique_ptr<Recorder> recorder_;  // the writer thread's
    StoreExportOptions options_;
    std::string path_;
    Queue queue_;
    mutable std::mutex mutex_;  // written_, error_
    std::uint64_t written_ = 0;
    std::string error_;
    std::once_flag started_;
    std::thread thread_;
    bool finished_ = false;
};

}  // namespace sockeye::store
