// HttpOptions::validate, the checks on the exported data, and HttpSyncError: everything of io/http
// that does not need libcurl, so that a build without it still validates.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "core/text.hpp"
#include "io/http/checks.hpp"
#include "io/http/http_sync.hpp"
#include "io/sql/state_db.hpp"

namespace salespipe::io::http {
namespace {

[[noreturn]] void usage(std::string message) {
  throw Error(ErrorKind::Usage, "HTTP sync: " + std::move(message));
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) noexcept {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c = text[i];
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    if (lower != prefix[i]) {
      return false;
    }
  }
  return true;
}

bool is_space_or_control(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return byte <= 0x20 || byte == 0x7F;
}

bool is_port(std::string_view text) noexcept {
  if (text.empty() || text.size() > 5) {
    return false;
  }
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value >= 1 && value <= 65535;
}

/// The URL is never echoed: it may carry credentials or keys in its query.
void validate_url(std::string_view url) {
  if (url.empty()) {
    usage("no URL given");
  }
  std::string_view rest;
  if (starts_with_ignoring_case(url, "http://")) {
    rest = url.substr(7);
  } else if (starts_with_ignoring_case(url, "https://")) {
    rest = url.substr(8);
  } else {
    usage("the URL must start with http:// or https://");
  }
  if (std::any_of(url.begin(), url.end(), is_space_or_control)) {
    usage("the URL holds a space or control character; percent-encode it");
  }
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    usage("the URL holds a user name or password; give the token in SALESPIPE_HTTP_TOKEN instead");
  }
  std::string_view host = authority;
  std::optional<std::string_view> port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      usage("the URL's IPv6 host has no closing ]");
    }
    host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        usage("the URL's host is followed by something other than :port");
      }
      port = after.substr(1);
    }
  } else if (const std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || host == "[]") {
    usage("the URL has no host");
  }
  if (port.has_value() && !is_port(*port)) {
    usage("the URL's port must be a number from 1 to 65535");
  }
}

std::string quoted_id(std::string_view id) { return "\"" + printable_raw_value(id, 64) + "\""; }

}  // namespace

void HttpOptions::validate() const {
  validate_url(url);
  if (batch_size < 1 || batch_size > 100'000) {
    usage(fmt::format("batch size {} is out of range: use 1 to 100000", batch_size));
  }
  if (bearer_token.has_value()) {
    if (bearer_token->empty()) {
      usage("the bearer token is empty");
    }
    if (std::any_of(bearer_token->begin(), bearer_token->end(), is_space_or_control)) {
      usage("the bearer token holds a space or control character (the token is not shown)");
    }
  }
  if (max_attempts < 1 || max_attempts > 100) {
    usage(fmt::format("max attempts {} is out of range: use 1 to 100", max_attempts));
  }
  if (initial_backoff.count() < 0 || max_backoff < initial_backoff) {
    usage(fmt::format("backoff {} ms to {} ms: both must be >= 0 and the first <= the second",
                      initial_backoff.count(), max_backoff.count()));
  }
  if (max_retry_after.count() < 0) {
    usage(fmt::format("max Retry-After {} ms must be >= 0", max_retry_after.count()));
  }
  if (timeout.count() <= 0) {
    usage(fmt::format("timeout {} ms must be > 0", timeout.count()));
  }
  if (!sql::is_utc_timestamp(now_utc)) {
    usage(fmt::format("bad now_utc \"{}\": expected ISO-8601 UTC like 2024-03-01T12:00:00Z",
                      printable_raw_value(now_utc, 64)));
  }
}

std::string HttpOptions::state_key() const {
  return destination_name.empty() ? std::string(detail::url_without_query(url)) : destination_name;
}

HttpSyncError::HttpSyncError(std::string message, HttpSyncResult partial)
    : Error(ErrorKind::Output, message), result_(std::move(partial)) {
  result_.error = std::move(message);
}

namespace detail {

std::string_view url_without_query(std::string_view url) noexcept {
  return url.substr(0, url.find_first_of("?#"));
}

void check_customers(const ExportCustomers& customers) {
  const std::size_t rows = customers.customer_id.size();
  if (customers.segment.size() != rows || customers.total_purchase_amount.size() != rows ||
      customers.purchase_frequency.size() != rows ||
      customers.avg_transaction_value.size() != rows || customers.recency_days.size() != rows) {
    throw Error(ErrorKind::Internal,
                fmt::format("HTTP sync: the customer columns differ in length (customer_id {}, "
                            "segment {}, total_purchase_amount {}, purchase_frequency {}, "
                            "avg_transaction_value {}, recency_days {})",
                            rows, customers.segment.size(), customers.total_purchase_amount.size(),
                            customers.purchase_frequency.size(),
                            customers.avg_transaction_value.size(), customers.recency_days.size()));
  }
  std::unordered_map<std::string_view, std::size_t> first_row;
  first_row.reserve(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    const std::string_view id = customers.customer_id[row];
    if (id.empty()) {
      throw Error(ErrorKind::Input,
                  fmt::format("HTTP sync: customer row {} has an empty customer_id", row + 1));
    }
    if (!is_valid_utf8(id)) {
      throw Error(ErrorKind::Input,
                  fmt::format("HTTP sync: customer row {}: customer_id {} is not valid UTF-8",
                              row + 1, quoted_id(id)));
    }
    if (!is_valid_utf8(customers.segment[row])) {
      throw Error(ErrorKind::Input,
                  fmt::format("HTTP sync: customer {} (row {}): segment {} is not valid UTF-8",
                              quoted_id(id), row + 1, quoted_id(customers.segment[row])));
    }
    if (!std::isfinite(customers.avg_transaction_value[row])) {
      throw Error(ErrorKind::Input,
                  fmt::format("HTTP sync: customer {} (row {}): avg_transaction_value is not a "
                              "finite number",
                              quoted_id(id), row + 1));
    }
    const auto [it, inserted] = first_row.emplace(id, row);
    if (!inserted) {
      throw Error(ErrorKind::Input,
                  fmt::format("HTTP sync: customer_id {} appears twice, in rows {} and {}; "
                              "nothing was sent",
                              quoted_id(id), it->second + 1, row + 1));
    }
  }
}

}  // namespace detail
}  // namespace salespipe::io::http
