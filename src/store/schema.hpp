// The store's tables, versioned by SQLite's `PRAGMA user_version`: version N
// is the result of the first N migrations, applied in order, each in its own
// transaction with the version bump, so a file is always at one version.
// README.md ("History") documents the tables; docs/ARCHITECTURE.md says how
// to add a migration.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "store/sqlite_db.hpp"

namespace sockeye::store {

// The version this build writes and reads.
inline constexpr std::int64_t kSchemaVersion = 2;

// migrations()[i] takes a file from version i to version i + 1. Never edit
// one that shipped: add the next.
std::span<const std::string_view> migrations();

// Brings the file up to kSchemaVersion. A file from a newer sockeye (a
// higher version) is refused rather than written to.
core::Result<void> migrate(Db& db);

// The file's version, checked to be one this build reads (1..kSchemaVersion).
core::Result<std::int64_t> readable_version(Db& db);

}  // namespace sockeye::store
