#pragma once

// The long-lived state database, data_warehouse/state.sqlite (DESIGN.md sections 4 and 7). Unlike
// the warehouse it is never rebuilt: it is updated in place, each change in its own transaction,
// with a rollback journal and synchronous=FULL, so a crash leaves the last committed state.
//
// Schema (PRAGMA application_id 0x53505354 "SPST", user_version 1):
//   runs          one row per salespipe command run, in the order recorded
//     run_id        INTEGER PRIMARY KEY AUTOINCREMENT (never reused, even after deletes)
//     command       TEXT NOT NULL     run, etl, segment, analyze, export, ...
//     started_at    TEXT NOT NULL     ISO-8601 UTC, yyyy-mm-ddThh:mm:ss[.fraction]Z
//     finished_at   TEXT NOT NULL     same format
//     status        TEXT NOT NULL     e.g. ok, failed
//     exit_code     INTEGER NOT NULL
//     rows_read, rows_loaded, rows_rejected INTEGER NOT NULL  (sales accounting; 0 when n/a)
//     manifest_json TEXT              the run manifest, NULL when the run wrote none
//   sync_state    per destination and customer, the fingerprint of what was last sent
//     destination   TEXT NOT NULL     e.g. an HTTP endpoint name
//     customer_id   TEXT NOT NULL
//     fingerprint   TEXT NOT NULL     as the exporter computes it (hex XXH3-128)
//     synced_at     TEXT NOT NULL     ISO-8601 UTC
//     PRIMARY KEY (destination, customer_id), WITHOUT ROWID
//   sync_runs     one row per export run (DESIGN.md section 7), in the order recorded
//     sync_run_id   INTEGER PRIMARY KEY AUTOINCREMENT
//     destination   TEXT NOT NULL
//     started_at, finished_at TEXT NOT NULL  ISO-8601 UTC
//     sent, updated, unchanged, failed INTEGER NOT NULL  record counts
//     error         TEXT              NULL when the sync succeeded

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/sql/sqlite_handle.hpp"

namespace salespipe::io::sql {

/// PRAGMA application_id of state.sqlite ("SPST").
inline constexpr std::int64_t kStateApplicationId = 0x53505354;
/// PRAGMA user_version of the schema this code reads and writes.
inline constexpr std::int64_t kStateSchemaVersion = 1;

/// One row of `runs`. Times come from the caller: the library has no clock.
struct RunRecord {
  std::int64_t run_id = 0;  ///< set by the database; ignored by record_run()
  std::string command{};
  std::string started_at{};   ///< ISO-8601 UTC, e.g. 2024-03-01T12:00:00Z
  std::string finished_at{};  ///< ISO-8601 UTC
  std::string status{};
  int exit_code = 0;
  std::int64_t rows_read = 0;
  std::int64_t rows_loaded = 0;
  std::int64_t rows_rejected = 0;
  std::optional<std::string> manifest_json{};

  friend bool operator==(const RunRecord&, const RunRecord&) = default;
};

/// The fingerprint of what was last sent for one customer.
struct SyncFingerprint {
  std::string customer_id{};
  std::string fingerprint{};

  friend bool operator==(const SyncFingerprint&, const SyncFingerprint&) = default;
};

/// One row of `sync_runs`.
struct SyncRun {
  std::int64_t sync_run_id = 0;  ///< set by the database; ignored by record_sync_run()
  std::string destination{};
  std::string started_at{};   ///< ISO-8601 UTC
  std::string finished_at{};  ///< ISO-8601 UTC
  std::int64_t sent = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t failed = 0;
  std::optional<std::string> error{};  ///< nullopt when the sync succeeded

  friend bool operator==(const SyncRun&, const SyncRun&) = default;
};

/// An open state.sqlite. Movable, not copyable; use it from one thread at a time.
class StateDb {
 public:
  /// Opens `path`, creating the file and its tables when absent (the folder must exist).
  /// Throws Error{Output} when it cannot be opened or created, is not a SQLite database, is
  /// another application's database, or has a newer schema version than this code knows.
  static StateDb open(const std::filesystem::path& path);

  StateDb(StateDb&&) noexcept = default;
  StateDb& operator=(StateDb&&) noexcept = default;

  /// Appends `run` to runs and returns its run_id. Throws Error{Internal} when a timestamp is not
  /// ISO-8601 UTC (yyyy-mm-ddThh:mm:ss[.fraction]Z), Error{Output} when the write fails.
  std::int64_t record_run(const RunRecord& run);
  /// Every recorded run, oldest (lowest run_id) first. Throws Error{Output}.
  std::vector<RunRecord> runs() const;

  /// The fingerprint last sent to `destination` for `customer_id`, nullopt when none was.
  /// Throws Error{Output}.
  std::optional<std::string> last_sent(std::string_view destination,
                                       std::string_view customer_id) const;
  /// Every fingerprint last sent to `destination`, sorted by customer_id (byte order).
  /// Throws Error{Output}.
  std::vector<SyncFingerprint> last_sent(std::string_view destination) const;
  /// Records `sent` as the last-sent fingerprints of `destination` at `synced_at`, replacing
  /// earlier ones of the same customers, all in one transaction: either every entry is stored
  /// or none is. Throws Error{Internal} for a bad timestamp, Error{Output} when the write fails.
  void put_last_sent(std::string_view destination, const std::vector<SyncFingerprint>& sent,
                     std::string_view synced_at);

  /// Appends `run` to sync_runs and returns its sync_run_id. Throws Error{Internal} for a bad
  /// timestamp, Error{Output} when the write fails.
  std::int64_t record_sync_run(const SyncRun& run);
  /// Every recorded sync run, oldest first. Throws Error{Output}.
  std::vector<SyncRun> sync_runs() const;

 private:
  explicit StateDb(detail::Connection db) noexcept : db_(std::move(db)) {}

  detail::Connection db_;
};

/// True when `text` is an ISO-8601 UTC timestamp `yyyy-mm-ddThh:mm:ss[.fraction]Z` naming a real
/// date and time (seconds 00-60, to allow a leap second).
bool is_utc_timestamp(std::string_view text) noexcept;

}  // namespace salespipe::io::sql
