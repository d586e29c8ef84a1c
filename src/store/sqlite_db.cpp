#include "store/sqlite_db.hpp"

#include <sqlite3.h>

#include <climits>
#include <utility>

namespace sockeye::store {
namespace {

core::ErrorCode code_for(int result) {
    switch (result & 0xff) {
        case SQLITE_FULL:
        case SQLITE_NOMEM:
        case SQLITE_TOOBIG: return core::ErrorCode::resource_exhausted;
        case SQLITE_PERM:
        case SQLITE_AUTH:
        case SQLITE_READONLY: return core::ErrorCode::permission_denied;
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
        case SQLITE_FORMAT: return core::ErrorCode::bad_format;
        default: return core::ErrorCode::io;
    }
}

int length_of(std::string_view text) {
    return text.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(text.size());
}

}  // namespace

core::Result<Db> Db::open(const std::string& path, Mode mode) {
    Db db;
    db.path_ = path;
    const int flags = (mode == Mode::read_only ? SQLITE_OPEN_READONLY
                                               : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_EXRESCODE |
                      // One thread uses a connection at a time (the recorder's,
                      // or a reader's): SQLite's per-call connection mutex is
                      // not needed.
                      SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        core::Error e = db.error("cannot open");
        if (db.db_ == nullptr) e = {core::ErrorCode::resource_exhausted, path + ": cannot open: out of memory"};
        return e;
    }
    // A store is data, never code: no extension may be loaded into it.
    sqlite3_db_config(db.db_, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    return db;
}

Db::~Db() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
}

Db::Db(Db&& other) noexcept : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Db& Db::operator=(Db&& other) noexcept {
    if (this != &other) {
        if (db_ != nullptr) sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

core::Error Db::error(std::string_view what) const {
    const int rc = db_ == nullptr ? SQLITE_ERROR : sqlite3_extended_errcode(db_);
    const char* message = db_ == nullptr ? "no database" : sqlite3_errmsg(db_);
    return {code_for(rc), path_ + ": " + std::string(what) + ": " + message};
}

core::Result<void> Db::exec(std::string_view sql) {
    const std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return error("write failed");
    return {};
}

core::Result<Statement> Db::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), length_of(sql), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK)
        return error("cannot prepare a statement");
    return Statement(*this, stmt);
}

std::int64_t Db::changes() const { return sqlite3_changes64(db_); }

core::Result<std::int64_t> Db::query_int(std::string_view sql) {
    auto stmt = prepare(sql);
    if (!stmt) return std::move(stmt).error();
    auto row = stmt->step("read failed");
    if (!row) return std::move(row).error();
    return *row ? stmt->int64(0) : std::int64_t{0};
}

core::Result<std::string> Db::query_text(std::string_view sql) {
    auto stmt = prepare(sql);
    if (!stmt) return std::move(stmt).error();
    auto row = stmt->step("read failed");
    if (!row) return std::move(row).error();
    return *row ? stmt->text(0) : std::string{};
}

void Db::set_busy_timeout(int milliseconds) { sqlite3_busy_timeout(db_, milliseconds); }

Statement::~Statement() {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (stmt_ != nullptr) sqlite3_finalize(stmt_);
        db_ = other.db_;
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

void Statement::bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
void Statement::bind(int index, double value) { sqlite3_bind_double(stmt_, index, value); }
void Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), length_of(text), SQLITE_TRANSIENT);
}
void Statement::bind_null(int index) { sqlite3_bind_null(stmt_, index); }
void Statement::bind_text_or_null(int index, std::string_view text) {
    if (text.empty()) {
        bind_null(index);
    } else {
        bind(index, text);
    }
}

void Statement::bind_static(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), length_of(text), SQLITE_STATIC);
}
void Statement::bind_static_or_null(int index, std::string_view text) {
    if (text.empty()) {
        bind_null(index);
    } else {
        bind_static(index, text);
    }
}

core::Result<bool> Statement::step(std::string_view what) {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    core::Error e = db_->error(what);
    sqlite3_reset(stmt_);
    return e;
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

void Statement::rewind() { sqlite3_reset(stmt_); }

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }
std::string Statement::text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    if (p == nullptr) return {};
    return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::string_view sqlite_version() { return sqlite3_libversion(); }

}  // namespace sockeye::store
