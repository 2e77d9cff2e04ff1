#include "io/sql/state_db.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "core/date.hpp"
#include "core/error.hpp"

namespace salespipe::io::sql {
using detail::Connection;
using detail::Statement;
using detail::Transaction;

namespace {

constexpr const char* kCreateTables = R"sql(
CREATE TABLE runs (
  run_id INTEGER PRIMARY KEY AUTOINCREMENT,
  command TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  status TEXT NOT NULL,
  exit_code INTEGER NOT NULL,
  rows_read INTEGER NOT NULL,
  rows_loaded INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  manifest_json TEXT
);
CREATE TABLE sync_state (
  destination TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  synced_at TEXT NOT NULL,
  PRIMARY KEY (destination, customer_id)
) WITHOUT ROWID;
CREATE TABLE sync_runs (
  sync_run_id INTEGER PRIMARY KEY AUTOINCREMENT,
  destination TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  sent INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  unchanged INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  error TEXT
);
)sql";

bool digits(std::string_view text, std::size_t from, std::size_t count, unsigned& value) noexcept {
  value = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') {
      return false;
    }
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return true;
}

void require_timestamp(std::string_view field, std::string_view value) {
  if (!is_utc_timestamp(value)) {
    throw Error(ErrorKind::Internal,
                fmt::format("state database: {} \"{}\" is not an ISO-8601 UTC timestamp "
                            "(yyyy-mm-ddThh:mm:ssZ)",
                            field, value));
  }
}

/// Runs a bound `INSERT ... RETURNING <id>` to its end and gives the id.
std::int64_t inserted_id(const Connection& db, Statement& insert, std::string_view action) {
  if (!insert.step()) {
    db.fail(action);
  }
  const std::int64_t id = insert.column_int(0);
  // The insert commits when the statement finishes, not when the RETURNING row appears.
  insert.run();
  return id;
}

void bind_optional_text(Statement& statement, int index, const std::optional<std::string>& text) {
  if (text.has_value()) {
    statement.bind_text(index, *text);
  } else {
    statement.bind_null(index);
  }
}

std::optional<std::string> optional_text(const Statement& statement, int index) {
  if (statement.column_is_null(index)) {
    return std::nullopt;
  }
  return std::string(statement.column_text(index));
}

/// Creates the tables in a new file, or checks that an existing file is ours and not newer.
void prepare_schema(const Connection& db) {
  // IMMEDIATE: two processes opening a new file at once create the tables only once.
  Transaction transaction(db, true);
  const std::int64_t application_id =
      db.query_int("PRAGMA application_id", "cannot read the state database header");
  const std::int64_t version =
      db.query_int("PRAGMA user_version", "cannot read the state database header");
  if (application_id == 0 && version == 0) {
    const std::int64_t objects =
        db.query_int("SELECT count(*) FROM sqlite_master", "cannot read the state database schema");
    if (objects != 0) {
      throw Error(ErrorKind::Output, Location{db.path(), 0, 0},
                  "not a salespipe state database: it holds other tables");
    }
    db.exec(kCreateTables, "cannot create the state tables");
    db.exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {}", kStateApplicationId,
                        kStateSchemaVersion),
            "cannot write the state database header");
  } else if (application_id != kStateApplicationId) {
    throw Error(
        ErrorKind::Output, Location{db.path(), 0, 0},
        fmt::format("not a salespipe state database: application_id is {:#x}, expected {:#x}",
                    application_id, kStateApplicationId));
  } else if (version > kStateSchemaVersion) {
    throw Error(ErrorKind::Output, Location{db.path(), 0, 0},
                fmt::format("state database schema version {} is newer than this salespipe "
                            "supports ({}); use a newer salespipe",
                            version, kStateSchemaVersion));
  }
  transaction.commit();
}

}  // namespace

bool is_utc_timestamp(std::string_view text) noexcept {
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text.back() != 'Z') {
    return false;
  }
  if (!parse_iso_date(text.substr(0, 10)).has_value()) {
    return false;
  }
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
  if (!digits(text, 11, 2, hour) || !digits(text, 14, 2, minute) || !digits(text, 17, 2, second) ||
      hour > 23 || minute > 59 || second > 60) {
    return false;
  }
  if (text.size() == 20) {
    return true;
  }
  // A fraction: '.', at least one digit, then the 'Z' already checked.
  if (text[19] != '.' || text.size() < 22) {
    return false;
  }
  unsigned ignored = 0;
  for (std::size_t i = 20; i + 1 < text.size(); ++i) {
    if (!digits(text, i, 1, ignored)) {
      return false;
    }
  }
  return true;
}

StateDb StateDb::open(const std::filesystem::path& path) {
  Connection db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  // Rollback journal with full syncs: every commit is on disk before it returns, and a crash
  // mid-transaction is rolled back at the next open. The busy timeout lets a reader (a user's
  // sqlite3 shell) finish instead of failing the run at once.
  db.exec("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL",
          "cannot configure the state database");
  prepare_schema(db);
  return StateDb(std::move(db));
}

std::int64_t StateDb::record_run(const RunRecord& run) {
  require_timestamp("started_at", run.started_at);
  require_timestamp("finished_at", run.finished_at);
  Statement insert(db_,
                   "INSERT INTO runs (command, started_at, finished_at, status, exit_code, "
                   "rows_read, rows_loaded, rows_rejected, manifest_json) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING run_id",
                   "cannot record the run");
  insert.bind_text(1, run.command);
  insert.bind_text(2, run.started_at);
  insert.bind_text(3, run.finished_at);
  insert.bind_text(4, run.status);
  insert.bind_int(5, run.exit_code);
  insert.bind_int(6, run.rows_read);
  insert.bind_int(7, run.rows_loaded);
  insert.bind_int(8, run.rows_rejected);
  bind_optional_text(insert, 9, run.manifest_json);
  return inserted_id(db_, insert, "cannot record the run");
}

std::vector<RunRecord> StateDb::runs() const {
  Statement select(db_,
                   "SELECT run_id, command, started_at, finished_at, status, exit_code, rows_read, "
                   "rows_loaded, rows_rejected, manifest_json FROM runs ORDER BY run_id",
                   "cannot read the runs");
  std::vector<RunRecord> result;
  while (select.step()) {
    RunRecord run;
    run.run_id = select.column_int(0);
    run.command = select.column_text(1);
    run.started_at = select.column_text(2);
    run.finished_at = select.column_text(3);
    run.status = select.column_text(4);
    run.exit_code = static_cast<int>(select.column_int(5));
    run.rows_read = select.column_int(6);
    run.rows_loaded = select.column_int(7);
    run.rows_rejected = select.column_int(8);
    run.manifest_json = optional_text(select, 9);
    result.push_back(std::move(run));
  }
  return result;
}

std::optional<std::string> StateDb::last_sent(std::string_view destination,
                                              std::string_view customer_id) const {
  Statement select(db_,
                   "SELECT fingerprint FROM sync_state WHERE destination = ? AND customer_id = ?",
                   "cannot read the sync state");
  select.bind_text(1, destination);
  select.bind_text(2, customer_id);
  if (!select.step()) {
    return std::nullopt;
  }
  return std::string(select.column_text(0));
}

std::vector<SyncFingerprint> StateDb::last_sent(std::string_view destination) const {
  Statement select(db_,
                   "SELECT customer_id, fingerprint FROM sync_state WHERE destination = ? "
                   "ORDER BY customer_id",
                   "cannot read the sync state");
  select.bind_text(1, destination);
  std::vector<SyncFingerprint> result;
  while (select.step()) {
    result.push_back(
        SyncFingerprint{std::string(select.column_text(0)), std::string(select.column_text(1))});
  }
  return result;
}

void StateDb::put_last_sent(std::string_view destination, const std::vector<SyncFingerprint>& sent,
                            std::string_view synced_at) {
  require_timestamp("synced_at", synced_at);
  Transaction transaction(db_, true);
  {
    Statement upsert(db_,
                     "INSERT INTO sync_state (destination, customer_id, fingerprint, synced_at) "
                     "VALUES (?, ?, ?, ?) ON CONFLICT (destination, customer_id) DO UPDATE SET "
                     "fingerprint = excluded.fingerprint, synced_at = excluded.synced_at",
                     "cannot store the sync state", true);
    upsert.bind_text(1, destination);
    upsert.bind_text(4, synced_at);
    for (const SyncFingerprint& entry : sent) {
      upsert.bind_text(2, entry.customer_id);
      upsert.bind_text(3, entry.fingerprint);
      upsert.run();
    }
  }
  transaction.commit();
}

std::int64_t StateDb::record_sync_run(const SyncRun& run) {
  require_timestamp("started_at", run.started_at);
  require_timestamp("finished_at", run.finished_at);
  Statement insert(db_,
                   "INSERT INTO sync_runs (destination, started_at, finished_at, sent, updated, "
                   "unchanged, failed, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                   "RETURNING sync_run_id",
                   "cannot record the sync run");
  insert.bind_text(1, run.destination);
  insert.bind_text(2, run.started_at);
  insert.bind_text(3, run.finished_at);
  insert.bind_int(4, run.sent);
  insert.bind_int(5, run.updated);
  insert.bind_int(6, run.unchanged);
  insert.bind_int(7, run.failed);
  bind_optional_text(insert, 8, run.error);
  return inserted_id(db_, insert, "cannot record the sync run");
}

std::vector<SyncRun> StateDb::sync_runs() const {
  Statement select(db_,
                   "SELECT sync_run_id, destination, started_at, finished_at, sent, updated, "
                   "unchanged, failed, error FROM sync_runs ORDER BY sync_run_id",
                   "cannot read the sync runs");
  std::vector<SyncRun> result;
  while (select.step()) {
    SyncRun run;
    run.sync_run_id = select.column_int(0);
    run.destination = select.column_text(1);
    run.started_at = select.column_text(2);
    run.finished_at = select.column_text(3);
    run.sent = select.column_int(4);
    run.updated = select.column_int(5);
    run.unchanged = select.column_int(6);
    run.failed = select.column_int(7);
    run.error = optional_text(select, 8);
    result.push_back(std::move(run));
  }
  return result;
}

}  // namespace salespipe::io::sql
