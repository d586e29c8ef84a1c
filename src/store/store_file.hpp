// Opening a store file: for the recorder (created if missing, WAL, schema
// brought up to date, the writer lock held) or for a reader (read-only,
// works while a recorder writes: WAL readers never block the writer).
#pragma once

#include <string>

#include "core/result.hpp"
#include "store/sqlite_db.hpp"
#include "store/writer_lock.hpp"

namespace sockeye::store {

// How long a statement waits for another connection's lock before failing
// (a reader's checkpoint, a history query's snapshot).
inline constexpr int kBusyTimeoutMs = 5000;

struct WritableStore {
    WriterLock lock;  // first: the lock outlives the connection
    Db db;
};

// WAL journal, synchronous=NORMAL (a commit is durable at the next
// checkpoint; a crash loses at most the last transactions, never the file),
// the busy timeout, then the migrations.
core::Result<WritableStore> open_for_recording(const std::string& path);

// Refuses a missing file with one line (it would otherwise be created
// empty), and a file whose schema this build cannot read.
core::Result<Db> open_for_reading(const std::string& path);

}  // namespace sockeye::store
