#pragma once

// When an HTTP sync retries a batch, and how long it waits first.
//
// Retried: connection-level failures (the server could not be reached, the connection was reset
// or closed early, the request timed out), HTTP 429 and every 5xx. Anything else ends the batch.
//
// Waits use exponential backoff with *equal jitter*: before retry n (n = 1 for the first) the base
// is min(max_backoff, initial_backoff * 2^(n-1)) and the wait is base/2 plus a uniformly drawn
// 0..base/2. Equal rather than full jitter (0..base) so that a wait is never near zero: a server
// that just failed gets at least half the base to recover, while clients that failed together
// still spread out. The random numbers come from a seeded generator, so tests can repeat a run.
//
// A Retry-After header (on 429 or 5xx) is a floor: the wait is the larger of the backoff and the
// Retry-After delay, the latter capped at max_retry_after so a server cannot stall a sync for
// hours.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace salespipe::io::http {

/// The backoff before retry `retry` (1-based) with equal jitter drawn from `random` (any 64-bit
/// value; the wait is base/2 + random % (base - base/2 + 1)). Never negative; 0 when the base is 0.
std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds initial_backoff,
                                        std::chrono::milliseconds max_backoff,
                                        std::uint64_t random) noexcept;

/// A small deterministic generator (SplitMix64) for the jitter: the same seed gives the same
/// sequence on every platform, which std::uniform_int_distribution does not promise.
class JitterSource {
 public:
  /// A generator whose sequence is fixed by `seed`.
  explicit JitterSource(std::uint64_t seed) noexcept : state_(seed) {}
  /// The next 64 random bits.
  std::uint64_t next() noexcept;

 private:
  std::uint64_t state_;
};

/// Seconds since 1970-01-01 UTC of an HTTP-date in any of the three forms HTTP allows
/// ("Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37
/// 1994"), nullopt when `text` is not a date.
std::optional<std::int64_t> parse_http_date(std::string_view text);

/// The delay a Retry-After header value asks for: delay-seconds ("120"), or an HTTP-date minus
/// `reference_unix_seconds` (the response's Date, else the local clock), 0 for a date in the
/// past. nullopt when the value is neither (then only the backoff applies). Huge values saturate
/// instead of overflowing; the caller caps them.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::int64_t reference_unix_seconds);

/// True for the HTTP statuses a batch is retried on: 429 and 500-599.
bool is_retryable_status(long status) noexcept;

/// True for the libcurl errors (a CURLcode) that mean the request may succeed when repeated:
/// cannot resolve or connect, timeout, send or receive failure, an empty or cut reply, a TLS
/// handshake that broke off. Certificate problems, bad URLs and the like are not.
bool is_retryable_curl_error(int curl_code) noexcept;

}  // namespace salespipe::io::http
