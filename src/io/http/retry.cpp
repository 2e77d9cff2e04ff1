#include "io/http/retry.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <string>

#include "core/text.hpp"

namespace salespipe::io::http {
namespace {

// Far above any sensible cap, far below where milliseconds in int64 overflow.
constexpr std::int64_t kMaxDelaySeconds = 1'000'000'000;

}  // namespace

std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds initial_backoff,
                                        std::chrono::milliseconds max_backoff,
                                        std::uint64_t random) noexcept {
  const std::int64_t cap = std::max<std::int64_t>(0, max_backoff.count());
  std::int64_t base = std::clamp<std::int64_t>(initial_backoff.count(), 0, cap);
  // Doubling step by step stops at the cap, so no shift can overflow however large `retry` is.
  for (int n = 1; n < retry && base < cap; ++n) {
    base = base > cap / 2 ? cap : base * 2;
  }
  const std::int64_t half = base / 2;
  const auto spread = static_cast<std::uint64_t>(base - half) + 1;
  return std::chrono::milliseconds(half + static_cast<std::int64_t>(random % spread));
}

std::uint64_t JitterSource::next() noexcept {
  state_ += 0x9E3779B97F4A7C15ULL;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  text = trim(text);
  // Every HTTP-date form names a day and a month in letters. curl_getdate also accepts bare
  // numbers and other shapes no server sends as a date; those are not dates here.
  const bool has_letter = std::any_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
  if (!has_letter) {
    return std::nullopt;
  }
  const std::string terminated(text);
  const time_t seconds = curl_getdate(terminated.c_str(), nullptr);
  if (seconds == -1) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(seconds);
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::int64_t reference_unix_seconds) {
  value = trim(value);
  if (value.empty()) {
    return std::nullopt;
  }
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t seconds = 0;
    for (const char c : value) {
      seconds = std::min(kMaxDelaySeconds, seconds * 10 + (c - '0'));
    }
    return std::chrono::seconds(seconds);
  }
  const std::optional<std::int64_t> date = parse_http_date(value);
  if (!date.has_value()) {
    return std::nullopt;
  }
  const std::int64_t seconds =
      std::clamp<std::int64_t>(*date - reference_unix_seconds, 0, kMaxDelaySeconds);
  return std::chrono::seconds(seconds);
}

bool is_retryable_status(long status) noexcept {
  return status == 429 || (status >= 500 && status <= 599);
}

bool is_retryable_curl_error(int curl_code) noexcept {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace salespipe::io::http
