#pragma once

// Reverse ETL to a CRM-style HTTP endpoint (DESIGN.md sections 7 and 11.6): the customers whose
// synced fields changed since the last successful sync, POSTed as JSON batches (the body, the
// fingerprints and the Idempotency-Key are described in io/http/batch.hpp; the retry rules in
// io/http/retry.hpp).
//
// State (state.sqlite, io/sql/state_db.hpp): per destination and customer the fingerprint of what
// was last delivered. After each batch answered 2xx, that batch's fingerprints are stored in one
// transaction, so a sync that fails in batch 3 has saved batches 1-2 and the next sync sends only
// the rest (the first batches it sends then have the keys of the failed run, since neither their
// content nor their previous state changed). Customers in the state but no longer exported are
// left alone: nothing is deleted at the destination. Every sync that gets past validation appends
// one sync_runs row, successful or not (a dry run changes nothing, so it appends none):
//   sent       customers delivered (2xx) by this run
//   updated    of those, customers delivered before (the others are new to the destination)
//   unchanged  customers whose fingerprint matched: not sent
//   failed     changed customers this run did not deliver: the failing batch and those after it
// so sent + unchanged + failed = customers.
//
// Requests: POST <url>, Content-Type: application/json, Idempotency-Key: <key>, and
// Authorization: Bearer <token> when a token is given. One connection is kept alive across the
// batches. The token never appears in a message, in the state or in sync_runs.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/export_tables.hpp"
#include "io/http/batch.hpp"

namespace salespipe::io::sql {
class StateDb;
}

namespace salespipe::io::http {

/// Where and how a sync sends.
struct HttpOptions {
  /// http:// or https:// followed by a host; no user:password@ (the token comes from
  /// SALESPIPE_HTTP_TOKEN) and no spaces or control bytes.
  std::string url;
  std::size_t batch_size = 500;  ///< customers per request, 1..100000
  SyncFields sync_fields = SyncFields::Segment;
  /// Report what would be sent (counts, batches, keys) without sending anything or changing the
  /// state database.
  bool dry_run = false;
  /// Sent as "Authorization: Bearer <token>" when set. The CLI reads SALESPIPE_HTTP_TOKEN; it is
  /// never echoed. Must be non-empty and free of spaces and control bytes.
  std::optional<std::string> bearer_token;

  int max_attempts = 5;                            ///< tries per batch, 1..100 (1: no retry)
  std::chrono::milliseconds initial_backoff{200};  ///< base of the first retry's wait, >= 0
  std::chrono::milliseconds max_backoff{10'000};   ///< cap of the base, >= initial_backoff
  /// Cap of a server's Retry-After (a longer one is waited for this long), >= 0.
  std::chrono::milliseconds max_retry_after{60'000};
  /// Seeds the jitter, mixed per batch with its key (so clients sending different data spread
  /// out even with one seed). The CLI passes a random seed; tests a fixed one to repeat a run.
  std::uint64_t jitter_seed = 0;
  /// Limit of one request: connecting, sending and receiving, > 0.
  std::chrono::milliseconds timeout{30'000};

  /// The key of the sync state and sync_runs rows; empty means the URL without its query and
  /// fragment (which may hold secrets).
  std::string destination_name;
  /// ISO-8601 UTC (yyyy-mm-ddThh:mm:ss[.fraction]Z) from the caller: the updated_at of every
  /// customer sent, when the state was synced, and the started_at of the sync_runs row.
  std::string now_utc;

  /// Waits between attempts; empty: std::this_thread::sleep_for. Tests record instead.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// The current time; empty: the system clock. Gives the sync_runs row's finished_at, and the
  /// reference for a Retry-After date when the response has no Date header.
  std::function<std::chrono::system_clock::time_point()> clock;

  /// Throws Error{Usage} naming the first bad option (never echoing the token).
  void validate() const;
  /// destination_name, or the URL without query and fragment when that is empty.
  std::string state_key() const;
};

/// What a sync did (or, for a dry run, would do).
struct HttpSyncResult {
  std::uint64_t customers = 0;  ///< rows of the export
  std::uint64_t changed = 0;    ///< customers whose fingerprint differs from the last sent one
  std::uint64_t sent = 0;       ///< customers delivered (2xx); 0 in a dry run
  std::uint64_t updated = 0;    ///< of the sent ones, those delivered before by an earlier sync
  std::uint64_t unchanged = 0;  ///< customers - changed
  std::uint64_t failed = 0;     ///< changed customers not delivered because a batch failed
  /// Batches delivered; in a dry run the batches that would be sent.
  std::uint64_t batches = 0;
  std::uint64_t retries = 0;  ///< attempts beyond the first, over all batches
  /// The Idempotency-Key of each batch in `batches`, in order.
  std::vector<std::string> batch_keys;
  /// Why the sync stopped (the HttpSyncError message); nullopt when every batch was delivered.
  std::optional<std::string> error;
};

/// Error{Output} for a sync that stopped at a failed batch, carrying what it did before it (the
/// state of the delivered batches is saved and the sync_runs row written by then).
class HttpSyncError : public Error {
 public:
  HttpSyncError(std::string message, HttpSyncResult partial);
  /// The counts up to the failure; result().error holds the message.
  const HttpSyncResult& result() const noexcept { return result_; }

 private:
  HttpSyncResult result_;
};

/// Sends the changed customers of `customers` in batches and advances `state` after each
/// delivered batch; returns the counts.
/// Throws, before anything is sent or recorded:
///   Error{Usage} for bad options (HttpOptions::validate), or when built without HTTP support;
///   Error{Input} for data that cannot be sent: an empty or duplicate customer_id (naming both
///     rows), text that is not valid UTF-8, a non-finite avg_transaction_value;
///   Error{Internal} when the columns of `customers` differ in length.
/// Throws HttpSyncError (an Error{Output}) when a batch fails: a 4xx other than 429 at once, with
/// the server's message (the reply body, cut at 500 bytes); a redirect (not followed); a
/// non-retryable transfer error (e.g. a bad certificate); or retries exhausted after
/// max_attempts, naming the last status or libcurl error. Throws Error{Output} when the state
/// database cannot be read or written.
HttpSyncResult sync_http(const ExportCustomers& customers, sql::StateDb& state,
                         const HttpOptions& options);

}  // namespace salespipe::io::http
