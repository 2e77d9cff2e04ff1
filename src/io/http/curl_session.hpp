#pragma once

// A thin owner of one libcurl easy handle, private to io/http. One session sends every batch of a
// sync, so libcurl keeps the connection alive between them (and reconnects when it was closed).

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace salespipe::io::http::detail {

/// What one POST came back with.
struct Attempt {
  int curl_code = 0;         ///< CURLE_OK (0) when an HTTP response arrived
  std::string curl_message;  ///< libcurl's description of the failure, when curl_code != 0
  long status = 0;           ///< the HTTP status of the final response, when curl_code == 0
  std::string body;          ///< the start of the response body (at most kMaxKeptBody bytes)
  std::optional<std::string> retry_after;  ///< the Retry-After header, when present
  std::optional<std::string> date;         ///< the Date header, when present
  std::optional<std::string> location;     ///< the Location header, when present
};

/// The most response body kept: enough for any error message (which is cut at 500 bytes).
inline constexpr std::size_t kMaxKeptBody = 64 * 1024;

/// Initialises libcurl's global state once per process (std::call_once: thread-safe, and retried
/// if it failed). Throws Error{Output} when libcurl cannot be initialised.
void ensure_curl_initialised();

/// One easy handle set up to POST JSON to one URL.
class CurlSession {
 public:
  /// Throws Error{Output} when libcurl cannot create a handle.
  CurlSession(const std::string& url, const std::optional<std::string>& bearer_token,
              std::chrono::milliseconds timeout);
  ~CurlSession();
  CurlSession(const CurlSession&) = delete;
  CurlSession& operator=(const CurlSession&) = delete;

  /// POSTs `body` with Content-Type application/json and the Idempotency-Key header, and returns
  /// what came back. Never throws for a transfer failure: that is Attempt::curl_code.
  Attempt post(std::string_view body, std::string_view idempotency_key);

 private:
  CURL* handle_ = nullptr;
  std::string authorization_;  ///< "Authorization: Bearer ...", empty without a token
};

}  // namespace salespipe::io::http::detail
