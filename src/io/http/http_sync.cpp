#include "io/http/http_sync.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <thread>
#include <unordered_map>

#include "core/text.hpp"
#include "io/http/checks.hpp"
#include "io/http/curl_session.hpp"
#include "io/http/retry.hpp"
#include "io/sql/state_db.hpp"

namespace salespipe::io::http {
namespace {
using std::chrono::milliseconds;
using std::chrono::system_clock;

/// The longest server message quoted in an error.
constexpr std::size_t kMaxServerMessage = 500;

/// One batch as planned before anything is sent.
struct Batch {
  std::vector<std::size_t> rows;  ///< rows of the export, in export order
  std::uint64_t sent_before = 0;  ///< of those, customers some earlier sync delivered
  std::string key;
};

/// What changed and how it is cut into batches.
struct Plan {
  std::vector<std::string> fingerprints;  ///< per row of the export
  std::uint64_t changed = 0;
  std::vector<Batch> batches;
};

Plan plan_sync(const ExportCustomers& customers, const std::vector<sql::SyncFingerprint>& last_sent,
               const HttpOptions& options) {
  // Views into last_sent, which outlives this function's use of them.
  std::unordered_map<std::string_view, std::string_view> previous_of;
  previous_of.reserve(last_sent.size());
  for (const sql::SyncFingerprint& entry : last_sent) {
    previous_of.emplace(entry.customer_id, entry.fingerprint);
  }
  Plan plan;
  plan.fingerprints.reserve(customers.size());
  Batch current;
  std::vector<std::string_view> previous;  // of the rows of `current`, empty when never sent
  const auto close_batch = [&] {
    current.key = batch_key(customers, current.rows, previous);
    plan.batches.push_back(std::move(current));
    current = Batch{};
    previous.clear();
  };
  for (std::size_t row = 0; row < customers.size(); ++row) {
    plan.fingerprints.push_back(customer_fingerprint(customers, row, options.sync_fields));
    const auto found = previous_of.find(customers.customer_id[row]);
    const std::string_view last = found == previous_of.end() ? "" : found->second;
    if (last == plan.fingerprints.back()) {
      continue;
    }
    ++plan.changed;
    current.rows.push_back(row);
    if (!last.empty()) {
      ++current.sent_before;
    }
    previous.push_back(last);
    if (current.rows.size() == options.batch_size) {
      close_batch();
    }
  }
  if (!current.rows.empty()) {
    close_batch();
  }
  return plan;
}

std::string format_utc(system_clock::time_point time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const auto days = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day date(days);
  const std::chrono::hh_mm_ss clock(seconds - days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

system_clock::time_point now(const HttpOptions& options) {
  return options.clock ? options.clock() : system_clock::now();
}

/// The server's message: the reply body made printable and cut at kMaxServerMessage bytes.
std::string server_message(const detail::Attempt& attempt) {
  std::string_view body = attempt.body;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) {
    body.remove_suffix(1);
  }
  if (body.empty()) {
    return fmt::format("HTTP {} with an empty body", attempt.status);
  }
  return fmt::format("HTTP {}: {}", attempt.status, printable_raw_value(body, kMaxServerMessage));
}

std::string describe(const detail::Attempt& attempt) {
  if (attempt.curl_code != 0) {
    return attempt.curl_message;
  }
  if (attempt.status >= 300 && attempt.status <= 399) {
    return fmt::format(
        "HTTP {}, a redirect to {} (not followed: give the final URL)", attempt.status,
        attempt.location.has_value() ? printable_raw_value(*attempt.location, kMaxServerMessage)
                                     : std::string("nowhere"));
  }
  return server_message(attempt);
}

/// How long to wait before retry `retry` after `attempt`: the jittered backoff, or the server's
/// Retry-After (capped) when that is longer.
milliseconds wait_before(int retry, const detail::Attempt& attempt, JitterSource& jitter,
                         const HttpOptions& options) {
  milliseconds wait =
      backoff_delay(retry, options.initial_backoff, options.max_backoff, jitter.next());
  if (attempt.curl_code == 0 && attempt.retry_after.has_value()) {
    // Against the server's own clock when it sent one, so clock skew does not matter.
    std::optional<std::int64_t> reference;
    if (attempt.date.has_value()) {
      reference = parse_http_date(*attempt.date);
    }
    if (!reference.has_value()) {
      reference = std::chrono::floor<std::chrono::seconds>(now(options).time_since_epoch()).count();
    }
    if (const auto asked = parse_retry_after(*attempt.retry_after, *reference)) {
      wait = std::max(wait, std::min(*asked, options.max_retry_after));
    }
  }
  return wait;
}

/// Sends one batch until it is delivered (nullopt) or fails (why it failed).
std::optional<std::string> send_batch(detail::CurlSession& session, const std::string& body,
                                      const std::string& key, const HttpOptions& options,
                                      std::uint64_t& retries) {
  // Mixing in the key spreads clients that share a seed but send different data.
  JitterSource jitter(options.jitter_seed ^ XXH3_64bits(key.data(), key.size()));
  for (int attempt_number = 1;; ++attempt_number) {
    const detail::Attempt attempt = session.post(body, key);
    if (attempt.curl_code == 0 && attempt.status >= 200 && attempt.status <= 299) {
      return std::nullopt;
    }
    if (attempt.curl_code == 0 && attempt.status >= 400 && attempt.status <= 499 &&
        attempt.status != 429) {
      return fmt::format("was refused: {}", server_message(attempt));
    }
    const bool retryable = attempt.curl_code != 0 ? is_retryable_curl_error(attempt.curl_code)
                                                  : is_retryable_status(attempt.status);
    if (!retryable) {
      return fmt::format("failed: {}", describe(attempt));
    }
    if (attempt_number >= options.max_attempts) {
      return fmt::format("failed after {} attempt{}; the last: {}", attempt_number,
                         attempt_number == 1 ? "" : "s", describe(attempt));
    }
    const milliseconds wait = wait_before(attempt_number, attempt, jitter, options);
    if (options.sleep) {
      options.sleep(wait);
    } else {
      std::this_thread::sleep_for(wait);
    }
    ++retries;
  }
}

std::string plural(std::uint64_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

sql::SyncRun sync_run(const HttpOptions& options, const std::string& destination,
                      const HttpSyncResult& result) {
  return sql::SyncRun{.destination = destination,
                      .started_at = options.now_utc,
                      .finished_at = format_utc(now(options)),
                      .sent = static_cast<std::int64_t>(result.sent),
                      .updated = static_cast<std::int64_t>(result.updated),
                      .unchanged = static_cast<std::int64_t>(result.unchanged),
                      .failed = static_cast<std::int64_t>(result.failed),
                      .error = result.error};
}

}  // namespace

HttpSyncResult sync_http(const ExportCustomers& customers, sql::StateDb& state,
                         const HttpOptions& options) {
  options.validate();
  detail::check_customers(customers);
  const std::string destination = options.state_key();
  const Plan plan = plan_sync(customers, state.last_sent(destination), options);

  HttpSyncResult result;
  result.customers = customers.size();
  result.changed = plan.changed;
  result.unchanged = result.customers - result.changed;
  if (options.dry_run) {
    result.batches = plan.batches.size();
    for (const Batch& batch : plan.batches) {
      result.batch_keys.push_back(batch.key);
    }
    return result;
  }

  std::optional<std::string> failure;
  try {
    std::optional<detail::CurlSession> session;
    if (!plan.batches.empty()) {
      detail::ensure_curl_initialised();
      session.emplace(options.url, options.bearer_token, options.timeout);
    }
    std::vector<sql::SyncFingerprint> delivered;
    for (std::size_t b = 0; b < plan.batches.size(); ++b) {
      const Batch& batch = plan.batches[b];
      const std::string body = batch_body(customers, batch.rows, batch.key, options.now_utc);
      if (auto why = send_batch(*session, body, batch.key, options, result.retries)) {
        result.failed = result.changed - result.sent;
        const std::string before =
            result.sent == 0 ? std::string("no customer was delivered")
                             : plural(result.sent, "customer") + " delivered and saved before it";
        failure = fmt::format(
            "HTTP sync to {}: batch {} of {} ({}) {}; {}, {} left for the next sync",
            detail::url_without_query(options.url), b + 1, plan.batches.size(),
            plural(batch.rows.size(), "customer"), *why, before, plural(result.failed, "customer"));
        break;
      }
      delivered.clear();
      for (const std::size_t row : batch.rows) {
        delivered.push_back(
            sql::SyncFingerprint{std::string(customers.customer_id[row]), plan.fingerprints[row]});
      }
      state.put_last_sent(destination, delivered, options.now_utc);
      result.sent += batch.rows.size();
      result.updated += batch.sent_before;
      ++result.batches;
      result.batch_keys.push_back(batch.key);
    }
  } catch (const Error& error) {
    // The state database or libcurl failed: record what happened if the database still can.
    result.failed = result.changed - result.sent;
    result.error = error.message();
    try {
      state.record_sync_run(sync_run(options, destination, result));
    } catch (const Error&) {
      // The first failure is the one to report.
    }
    throw;
  }

  if (failure.has_value()) {
    result.error = failure;
    state.record_sync_run(sync_run(options, destination, result));
    throw HttpSyncError(std::move(*failure), std::move(result));
  }
  state.record_sync_run(sync_run(options, destination, result));
  return result;
}

}  // namespace salespipe::io::http
