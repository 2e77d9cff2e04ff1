#include "io/http/curl_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "core/error.hpp"
#include "core/text.hpp"

namespace salespipe::io::http::detail {
namespace {

#ifndef SALESPIPE_VERSION
#  define SALESPIPE_VERSION "unknown"
#endif

struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void append_header(Slist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) {
    throw std::bad_alloc();
  }
  // curl_slist_append returns the same head once the list exists.
  static_cast<void>(list.release());
  list.reset(grown);
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) {
             return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
           };
           return lower(x) == lower(y);
         });
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  const std::size_t bytes = size * count;
  const std::size_t room = kMaxKeptBody - std::min(kMaxKeptBody, attempt->body.size());
  attempt->body.append(data, std::min(bytes, room));
  // The rest is read and dropped: the whole reply must arrive for the connection to be reused.
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  if (line.starts_with("HTTP/")) {
    // A new response (after an interim 1xx): only the headers of the final one count.
    attempt->retry_after.reset();
    attempt->date.reset();
    attempt->location.reset();
    return bytes;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return bytes;
  }
  const std::string_view name = trim(line.substr(0, colon));
  const std::string value(trim(line.substr(colon + 1)));
  if (iequals(name, "Retry-After")) {
    attempt->retry_after = value;
  } else if (iequals(name, "Date")) {
    attempt->date = value;
  } else if (iequals(name, "Location")) {
    attempt->location = value;
  }
  return bytes;
}

[[noreturn]] void setup_failed(CURLcode code) {
  throw Error(ErrorKind::Output,
              fmt::format("HTTP sync: cannot set up libcurl: {}", curl_easy_strerror(code)));
}

template <typename Value>
void set(CURL* handle, CURLoption option, Value value) {
  const CURLcode code = curl_easy_setopt(handle, option, value);
  if (code != CURLE_OK) {
    setup_failed(code);
  }
}

}  // namespace

void ensure_curl_initialised() {
  // libcurl's global init is not thread-safe and must run once per process before any handle is
  // made: the one place where a process-wide flag is required, not a choice.
  static std::once_flag once;
  std::call_once(once, [] {
    const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
      throw Error(ErrorKind::Output, fmt::format("HTTP sync: cannot initialise libcurl: {}",
                                                 curl_easy_strerror(code)));
    }
  });
}

CurlSession::CurlSession(const std::string& url, const std::optional<std::string>& bearer_token,
                         std::chrono::milliseconds timeout)
    : handle_(curl_easy_init()) {
  if (handle_ == nullptr) {
    throw Error(ErrorKind::Output, "HTTP sync: cannot create a libcurl handle");
  }
  try {
    set(handle_, CURLOPT_URL, url.c_str());
    set(handle_, CURLOPT_PROTOCOLS_STR, "http,https");
    set(handle_, CURLOPT_POST, 1L);
    // No signals: libcurl would otherwise use SIGALRM for DNS timeouts, unsafe with threads.
    set(handle_, CURLOPT_NOSIGNAL, 1L);
    set(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    set(handle_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
    set(handle_, CURLOPT_TCP_KEEPALIVE, 1L);
    // A redirect is reported, not followed: re-sending a POST elsewhere is the user's call.
    set(handle_, CURLOPT_FOLLOWLOCATION, 0L);
    set(handle_, CURLOPT_USERAGENT, "salespipe/" SALESPIPE_VERSION);
    set(handle_, CURLOPT_WRITEFUNCTION, &on_body);
    set(handle_, CURLOPT_HEADERFUNCTION, &on_header);
  } catch (...) {
    curl_easy_cleanup(handle_);
    throw;
  }
  if (bearer_token.has_value()) {
    authorization_ = "Authorization: Bearer " + *bearer_token;
  }
}

CurlSession::~CurlSession() { curl_easy_cleanup(handle_); }

Attempt CurlSession::post(std::string_view body, std::string_view idempotency_key) {
  Slist headers;
  append_header(headers, "Content-Type: application/json");
  append_header(headers, "Accept: application/json");
  // No "Expect: 100-continue" round trip before large bodies.
  append_header(headers, "Expect:");
  append_header(headers, fmt::format("Idempotency-Key: {}", idempotency_key));
  if (!authorization_.empty()) {
    append_header(headers, authorization_);
  }

  Attempt attempt;
  char error_text[CURL_ERROR_SIZE] = {};
  set(handle_, CURLOPT_HTTPHEADER, headers.get());
  set(handle_, CURLOPT_POSTFIELDS, body.data());
  set(handle_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  set(handle_, CURLOPT_WRITEDATA, static_cast<void*>(&attempt));
  set(handle_, CURLOPT_HEADERDATA, static_cast<void*>(&attempt));
  set(handle_, CURLOPT_ERRORBUFFER, static_cast<char*>(error_text));
  const CURLcode code = curl_easy_perform(handle_);
  // The handle must not keep pointers to this call's locals.
  set(handle_, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  set(handle_, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
  set(handle_, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));
  set(handle_, CURLOPT_HEADERDATA, static_cast<void*>(nullptr));

  attempt.curl_code = static_cast<int>(code);
  if (code != CURLE_OK) {
    const std::string_view detail(error_text);
    attempt.curl_message = detail.empty()
                               ? std::string(curl_easy_strerror(code))
                               : fmt::format("{} ({})", curl_easy_strerror(code), detail);
    return attempt;
  }
  long status = 0;
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
  attempt.status = status;
  return attempt;
}

}  // namespace salespipe::io::http::detail
