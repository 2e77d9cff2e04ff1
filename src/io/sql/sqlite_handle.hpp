#pragma once

// Thin RAII owners of SQLite connections and statements, private to io/sql. Every failure
// becomes Error{Output} naming the database file, what we were doing and SQLite's own message.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace salespipe::io::sql::detail {

/// One open connection. Not shared between threads: each caller opens its own.
class Connection {
 public:
  /// Opens `path` with sqlite3_open_v2 `flags`; throws Error{Output} "<path>: cannot open the
  /// database: <SQLite message>".
  Connection(const std::filesystem::path& path, int flags);
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* get() const noexcept { return db_; }
  const std::string& path() const noexcept { return path_; }

  /// Runs SQL that returns no rows we need; throws Error{Output} "<path>: <action>: <message>".
  void exec(const std::string& sql, std::string_view action) const;
  /// The single integer a query like `PRAGMA user_version` returns; throws Error{Output}.
  std::int64_t query_int(const std::string& sql, std::string_view action) const;
  /// Closes the connection, throwing Error{Output} when SQLite reports a failure. The destructor
  /// closes quietly; call this when the outcome matters.
  void close();

  /// Throws Error{Output} "<path>: <action>: <the connection's last SQLite message>".
  [[noreturn]] void fail(std::string_view action) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

/// One prepared statement; binds borrow the caller's bytes until the next step().
class Statement {
 public:
  /// Prepares `sql` on `db`; `persistent` hints that it runs many times. Throws Error{Output}.
  Statement(const Connection& db, std::string_view sql, std::string_view action,
            bool persistent = false);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Bind a value to the 1-based parameter `index`; throw Error{Output} on failure.
  void bind_int(int index, std::int64_t value);
  void bind_double(int index, double value);
  /// The bytes must stay alive until step() is done: SQLite does not copy them here.
  void bind_text(int index, std::string_view value);
  void bind_null(int index);

  /// Runs one step: true when a row is ready, false when done. Throws Error{Output}.
  bool step();
  /// Makes the statement ready to run again (bindings are kept).
  void reset() noexcept;
  /// Steps to completion and resets, for statements that return no rows.
  void run();

  /// Reads column `index` (0-based) of the current row.
  std::int64_t column_int(int index) const noexcept;
  double column_double(int index) const noexcept;
  /// A view valid until the next step() or reset().
  std::string_view column_text(int index) const noexcept;
  bool column_is_null(int index) const noexcept;

 private:
  [[noreturn]] void fail() const;

  const Connection* db_;
  sqlite3_stmt* statement_ = nullptr;
  std::string action_;
};

/// BEGIN on construction, ROLLBACK in the destructor unless commit() succeeded.
class Transaction {
 public:
  /// `immediate` takes the write lock now rather than at the first write.
  Transaction(const Connection& db, bool immediate);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  /// COMMIT; throws Error{Output} (the destructor then rolls back).
  void commit();

 private:
  const Connection& db_;
  bool open_ = true;
};

/// `name` as an SQL identifier: in double quotes, inner quotes doubled. A NUL byte (SQLite would
/// end the statement there) becomes '_'.
std::string quote_identifier(std::string_view name);

/// Fails with Error{Output} "<path>: not a salespipe <what>" unless the file's
/// PRAGMA application_id is `expected`.
void require_application_id(const Connection& db, std::int64_t expected, std::string_view what);

}  // namespace salespipe::io::sql::detail
