#include <gtest/gtest.h>

#include <functional>

#include "core/error.hpp"
#include "io/http/http_sync.hpp"

namespace salespipe::io::http {
namespace {

HttpOptions valid_options() {
  HttpOptions options;
  options.url = "https://crm.example.com/api/customers";
  options.now_utc = "2024-03-01T12:00:00Z";
  return options;
}

/// The Usage message validate() throws for options changed by `change`.
std::string usage_message(const std::function<void(HttpOptions&)>& change) {
  HttpOptions options = valid_options();
  change(options);
  try {
    options.validate();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Usage);
    return error.what();
  }
  ADD_FAILURE() << "validate() accepted the options";
  return {};
}

TEST(HttpOptions, AcceptsHttpAndHttpsUrlsWithPortsPathsAndQueries) {
  for (const char* url :
       {"https://crm.example.com/api/customers", "http://127.0.0.1:8080/sync",
        "HTTPS://CRM.EXAMPLE.COM", "http://[::1]:9000/x?batch=1#frag", "http://host:65535"}) {
    HttpOptions options = valid_options();
    options.url = url;
    EXPECT_NO_THROW(options.validate()) << url;
  }
}

TEST(HttpOptions, RefusesUrlsOfOtherSchemes) {
  for (const char* url : {"ftp://crm.example.com/x", "crm.example.com/api", "file:///etc/passwd",
                          "httpx://host", "http:/host"}) {
    EXPECT_EQ(usage_message([&](HttpOptions& o) { o.url = url; }),
              "HTTP sync: the URL must start with http:// or https://")
        << url;
  }
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.url.clear(); }), "HTTP sync: no URL given");
}

TEST(HttpOptions, RefusesAUrlWithoutHost) {
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.url = "https:///path"; }),
            "HTTP sync: the URL has no host");
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.url = "http://:8080/x"; }),
            "HTTP sync: the URL has no host");
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.url = "http://[]:80"; }),
            "HTTP sync: the URL has no host");
}

TEST(HttpOptions, RefusesBadPorts) {
  for (const char* url : {"http://host:0/x", "http://host:65536", "http://host:80a",
                          "http://host:", "http://[::1]x", "http://[::1"}) {
    const std::string message = usage_message([&](HttpOptions& o) { o.url = url; });
    EXPECT_TRUE(message.find("port") != std::string::npos ||
                message.find("IPv6") != std::string::npos)
        << url << ": " << message;
  }
}

TEST(HttpOptions, RefusesCredentialsInTheUrlWithoutEchoingThem) {
  const std::string message =
      usage_message([](HttpOptions& o) { o.url = "https://admin:s3cret@crm.example.com/x"; });
  EXPECT_EQ(message,
            "HTTP sync: the URL holds a user name or password; give the token in "
            "SALESPIPE_HTTP_TOKEN instead");
  EXPECT_EQ(message.find("s3cret"), std::string::npos);
}

TEST(HttpOptions, RefusesSpacesAndControlBytesInTheUrl) {
  for (const char* url : {"https://crm.example.com/a b", "https://crm.example.com/\r\nX: 1",
                          "https://crm.example.com/\x7f"}) {
    EXPECT_EQ(usage_message([&](HttpOptions& o) { o.url = url; }),
              "HTTP sync: the URL holds a space or control character; percent-encode it");
  }
}

TEST(HttpOptions, RefusesBatchSizesOutOfRange) {
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.batch_size = 0; }),
            "HTTP sync: batch size 0 is out of range: use 1 to 100000");
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.batch_size = 100'001; }),
            "HTTP sync: batch size 100001 is out of range: use 1 to 100000");
}

TEST(HttpOptions, RefusesABadTokenWithoutEchoingIt) {
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.bearer_token = ""; }),
            "HTTP sync: the bearer token is empty");
  const std::string message =
      usage_message([](HttpOptions& o) { o.bearer_token = "abc\r\nX-Injected: yes"; });
  EXPECT_EQ(message,
            "HTTP sync: the bearer token holds a space or control character (the token is not "
            "shown)");
  EXPECT_EQ(message.find("abc"), std::string::npos);
}

TEST(HttpOptions, RefusesBadRetrySettings) {
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.max_attempts = 0; }),
            "HTTP sync: max attempts 0 is out of range: use 1 to 100");
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.max_attempts = 101; }),
            "HTTP sync: max attempts 101 is out of range: use 1 to 100");
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.max_backoff = std::chrono::milliseconds{100}; }),
            "HTTP sync: backoff 200 ms to 100 ms: both must be >= 0 and the first <= the second");
  EXPECT_EQ(
      usage_message([](HttpOptions& o) { o.initial_backoff = std::chrono::milliseconds{-1}; }),
      "HTTP sync: backoff -1 ms to 10000 ms: both must be >= 0 and the first <= the second");
  EXPECT_EQ(
      usage_message([](HttpOptions& o) { o.max_retry_after = std::chrono::milliseconds{-5}; }),
      "HTTP sync: max Retry-After -5 ms must be >= 0");
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.timeout = std::chrono::milliseconds{0}; }),
            "HTTP sync: timeout 0 ms must be > 0");
}

TEST(HttpOptions, RefusesANowThatIsNotUtc) {
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.now_utc = "2024-03-01 12:00:00"; }),
            "HTTP sync: bad now_utc \"2024-03-01 12:00:00\": expected ISO-8601 UTC like "
            "2024-03-01T12:00:00Z");
  EXPECT_EQ(usage_message([](HttpOptions& o) { o.now_utc.clear(); }),
            "HTTP sync: bad now_utc \"\": expected ISO-8601 UTC like 2024-03-01T12:00:00Z");
}

TEST(HttpOptions, StateKeyIsTheDestinationNameOrTheUrlWithoutQuery) {
  HttpOptions options = valid_options();
  options.url = "https://crm.example.com/api?key=secret#part";
  EXPECT_EQ(options.state_key(), "https://crm.example.com/api");
  options.destination_name = "crm";
  EXPECT_EQ(options.state_key(), "crm");
}

}  // namespace
}  // namespace salespipe::io::http
