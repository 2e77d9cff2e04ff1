#include "io/sql/sqlite_handle.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <limits>
#include <utility>

#include "core/error.hpp"

namespace salespipe::io::sql::detail {
namespace {

[[noreturn]] void throw_output(const std::string& path, std::string_view action,
                               std::string_view message) {
  throw Error(ErrorKind::Output, Location{path, 0, 0}, fmt::format("{}: {}", action, message));
}

int checked_length(std::string_view text, const std::string& path) {
  if (text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw_output(path, "binding a value", "text longer than 2 GiB");
  }
  return static_cast<int>(text.size());
}

}  // namespace

Connection::Connection(const std::filesystem::path& path, int flags) : path_(path.string()) {
  const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 may hand back a connection even on failure; it holds the message.
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw_output(path_, "cannot open the database", message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
  if (db_ != nullptr) {
    sqlite3_close_v2(db_);
  }
}

Connection::Connection(Connection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) {
      sqlite3_close_v2(db_);
    }
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

void Connection::exec(const std::string& sql, std::string_view action) const {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw_output(path_, action, text);
  }
}

std::int64_t Connection::query_int(const std::string& sql, std::string_view action) const {
  Statement statement(*this, sql, action);
  if (!statement.step()) {
    throw_output(path_, action, "the query returned no row");
  }
  return statement.column_int(0);
}

void Connection::close() {
  if (db_ == nullptr) {
    return;
  }
  // sqlite3_close (not _v2) refuses while statements are open, which would be our bug; the
  // check matters because closing is where a journal-less database finishes its writes.
  const int rc = sqlite3_close(db_);
  if (rc != SQLITE_OK) {
    fail("cannot close the database");
  }
  db_ = nullptr;
}

void Connection::fail(std::string_view action) const {
  throw_output(path_, action, db_ != nullptr ? sqlite3_errmsg(db_) : "no open connection");
}

Statement::Statement(const Connection& db, std::string_view sql, std::string_view action,
                     bool persistent)
    : db_(&db), action_(action) {
  const unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0U;
  const int rc = sqlite3_prepare_v3(db.get(), sql.data(), checked_length(sql, db.path()), flags,
                                    &statement_, nullptr);
  if (rc != SQLITE_OK) {
    db.fail(action_);
  }
  if (statement_ == nullptr) {
    throw_output(db.path(), action_, "empty SQL statement");
  }
}

Statement::~Statement() { sqlite3_finalize(statement_); }

void Statement::fail() const { db_->fail(action_); }

void Statement::bind_int(int index, std::int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) {
    fail();
  }
}

void Statement::bind_double(int index, double value) {
  if (sqlite3_bind_double(statement_, index, value) != SQLITE_OK) {
    fail();
  }
}

void Statement::bind_text(int index, std::string_view value) {
  // A null pointer would bind SQL NULL, not an empty string.
  const char* data = value.data() != nullptr ? value.data() : "";
  if (sqlite3_bind_text(statement_, index, data, checked_length(value, db_->path()),
                        SQLITE_STATIC) != SQLITE_OK) {
    fail();
  }
}

void Statement::bind_null(int index) {
  if (sqlite3_bind_null(statement_, index) != SQLITE_OK) {
    fail();
  }
}

bool Statement::step() {
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  // Keep the message before reset() so the error names the real cause.
  const std::string message = sqlite3_errmsg(db_->get());
  sqlite3_reset(statement_);
  throw_output(db_->path(), action_, message);
}

void Statement::reset() noexcept { sqlite3_reset(statement_); }

void Statement::run() {
  while (step()) {
  }
  reset();
}

std::int64_t Statement::column_int(int index) const noexcept {
  return sqlite3_column_int64(statement_, index);
}

double Statement::column_double(int index) const noexcept {
  return sqlite3_column_double(statement_, index);
}

std::string_view Statement::column_text(int index) const noexcept {
  const auto* text = sqlite3_column_text(statement_, index);
  const int bytes = sqlite3_column_bytes(statement_, index);
  if (text == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(bytes)};
}

bool Statement::column_is_null(int index) const noexcept {
  return sqlite3_column_type(statement_, index) == SQLITE_NULL;
}

Transaction::Transaction(const Connection& db, bool immediate) : db_(db) {
  db_.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN", "cannot begin a transaction");
}

Transaction::~Transaction() {
  if (open_ && sqlite3_get_autocommit(db_.get()) == 0) {
    // Nothing useful can be done if the rollback fails: the error being thrown says why.
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.exec("COMMIT", "cannot commit the transaction");
  open_ = false;
}

std::string quote_identifier(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('"');
  for (const char c : name) {
    if (c == '"') {
      out += "\"\"";
    } else if (c == '\0') {
      out.push_back('_');
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

void require_application_id(const Connection& db, std::int64_t expected, std::string_view what) {
  const std::int64_t found = db.query_int("PRAGMA application_id", "cannot read the file header");
  if (found != expected) {
    throw_output(db.path(), fmt::format("not a salespipe {}", what),
                 fmt::format("application_id is {:#x}, expected {:#x}", found, expected));
  }
}

}  // namespace salespipe::io::sql::detail
