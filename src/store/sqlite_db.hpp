// The few SQLite calls the store makes, as RAII types that turn a failure
// into a core::Error naming the file. Only src/store/ includes sqlite3.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace sockeye::store {

class Statement;

// One connection to a store file.
class Db {
public:
    enum class Mode { read_write_create, read_only };
    // Opens `path` (never a URI: the name is taken as it is).
    static core::Result<Db> open(const std::string& path, Mode mode);
    Db() = default;
    ~Db();
    Db(Db&& other) noexcept;
    Db& operator=(Db&& other) noexcept;
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    // Runs one or more statements without results.
    core::Result<void> exec(std::string_view sql);
    core::Result<Statement> prepare(std::string_view sql);
    // The first column of the first row of `sql` as an integer (a PRAGMA).
    core::Result<std::int64_t> query_int(std::string_view sql);
    // The same as text ("" for none).
    core::Result<std::string> query_text(std::string_view sql);
    // How long a statement waits for another connection's lock.
    void set_busy_timeout(int milliseconds);
    // Rows the last INSERT, UPDATE or DELETE changed.
    [[nodiscard]] std::int64_t changes() const;

    // "PATH: what failed: SQLite's message", with the code SQLite's
    // result maps to (full disk: resource_exhausted, busy/locked: io ...).
    [[nodiscard]] core::Error error(std::string_view what) const;
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

// A prepared statement; bind, step, read columns, reset. Column and
// parameter indexes start at 0 and 1 as in SQLite.
class Statement {
public:
    Statement() = default;
    Statement(const Db& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    [[nodiscard]] bool valid() const { return stmt_ != nullptr; }

    void bind(int index, std::int64_t value);
    void bind(int index, double value);
    void bind(int index, std::string_view text);  // copied by SQLite
    void bind_null(int index);
    // Text, or NULL when empty (unknown).
    void bind_text_or_null(int index, std::string_view text);
    // The same without SQLite's copy: `text` must stay as it is until the
    // next step() of this statement is done (the hot insert paths, which
    // bind strings of the flow being written).
    void bind_static(int index, std::string_view text);
    void bind_static_or_null(int index, std::string_view text);

    // true: a row is ready; false: done. Errors name `what`.
    core::Result<bool> step(std::string_view what);
    // Clears the bindings and rewinds.
    void reset();
    // Rewinds and keeps the bindings: for a statement whose every
    // parameter is bound again before its next step.
    void rewind();

    [[nodiscard]] bool is_null(int column) const;
    [[nodiscard]] std::int64_t int64(int column) const;
    [[nodiscard]] double real(int column) const;
    [[nodiscard]] std::string text(int column) const;  // "" for NULL

private:
    const Db* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

// The SQLite library's version ("3.40.1"), for --version.
std::string_view sqlite_version();

}  // namespace sockeye::store
