// One recorder per store file: an exclusive flock(2) on the file itself,
// held for as long as the recorder runs. SQLite's own locks (fcntl, per
// transaction) would let two recorders take turns and double every count;
// flock is independent of them on Linux and is dropped by the kernel when
// the process dies, so a killed recorder never leaves a stale lock behind.
#pragma once

#include <string>

#include "core/result.hpp"
#include "core/unique_fd.hpp"

namespace sockeye::store {

class WriterLock {
public:
    // Creates the file (empty: SQLite takes it as a new database) when
    // missing. Another process holding the lock is refused at once, with
    // one line naming the file.
    static core::Result<WriterLock> acquire(const std::string& path);

private:
    explicit WriterLock(core::UniqueFd fd) : fd_(std::move(fd)) {}
    core::UniqueFd fd_;
};

}  // namespace sockeye::store
