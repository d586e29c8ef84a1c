#include "store/store_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "store/schema.hpp"

namespace sockeye::store {

core::Result<WritableStore> open_for_recording(const std::string& path) {
    auto lock = WriterLock::acquire(path);
    if (!lock) return std::move(lock).error();
    auto db = Db::open(path, Db::Mode::read_write_create);
    if (!db) return std::move(db).error();
    db->set_busy_timeout(kBusyTimeoutMs);
    auto mode = db->query_text("PRAGMA journal_mode = WAL");
    if (!mode) return std::move(mode).error();
    // Readers beside a recorder need WAL; a file system that cannot map the
    // shared-memory index (some network mounts) keeps the old journal.
    if (*mode != "wal")
        return core::Error{core::ErrorCode::unsupported,
                           path + ": cannot use write-ahead logging here (journal mode " + *mode + ")"};
    if (auto r = db->exec("PRAGMA synchronous = NORMAL"); !r) return std::move(r).error();
    // Sorts and INSERT ... SELECT from the same table (the roll-up) use
    // temporary tables: in memory, not in a temporary directory the
    // sandbox does not open.
    if (auto r = db->exec("PRAGMA temp_store = MEMORY"); !r) return std::move(r).error();
    if (auto r = migrate(*db); !r) return std::move(r).error();
    return WritableStore{std::move(lock).value(), std::move(db).value()};
}

core::Result<Db> open_for_reading(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT)
            return core::Error{core::ErrorCode::not_found,
                               path + ": no history store here (record one with --record)"};
        return core::Error{core::error_code_for_errno(err), path + ": " + std::strerror(err)};
    }
    auto db = Db::open(path, Db::Mode::read_only);
    if (!db) return db;
    db->set_busy_timeout(kBusyTimeoutMs);
    if (auto v = readable_version(*db); !v) return std::move(v).error();
    return db;
}

}  // namespace sockeye::store
