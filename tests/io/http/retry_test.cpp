#include "io/http/retry.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <set>

namespace salespipe::io::http {
namespace {
using std::chrono::milliseconds;

TEST(BackoffDelay, DoublesTheBaseAndStaysWithinItsUpperHalf) {
  JitterSource jitter(7);
  milliseconds base{200};
  for (int retry = 1; retry <= 6; ++retry) {
    for (int draw = 0; draw < 200; ++draw) {
      const milliseconds wait =
          backoff_delay(retry, milliseconds{200}, milliseconds{60'000}, jitter.next());
      EXPECT_GE(wait, base / 2) << "retry " << retry;
      EXPECT_LE(wait, base) << "retry " << retry;
    }
    base *= 2;
  }
}

TEST(BackoffDelay, ReachesBothEndsOfTheJitterRange) {
  // random % 101 spans 0..100: the wait spans 100..200 ms for the first retry.
  EXPECT_EQ(backoff_delay(1, milliseconds{200}, milliseconds{10'000}, 0), milliseconds{100});
  EXPECT_EQ(backoff_delay(1, milliseconds{200}, milliseconds{10'000}, 100), milliseconds{200});
  EXPECT_EQ(backoff_delay(3, milliseconds{200}, milliseconds{10'000}, 0), milliseconds{400});
  EXPECT_EQ(backoff_delay(3, milliseconds{200}, milliseconds{10'000}, 400), milliseconds{800});
}

TEST(BackoffDelay, IsCappedAtTheMaximumBase) {
  EXPECT_EQ(backoff_delay(7, milliseconds{200}, milliseconds{10'000}, 5'000), milliseconds{10'000});
  EXPECT_EQ(backoff_delay(1'000'000, milliseconds{200}, milliseconds{10'000}, 0),
            milliseconds{5'000});
  EXPECT_EQ(
      backoff_delay(64, milliseconds{1}, milliseconds{std::numeric_limits<std::int64_t>::max()}, 0),
      milliseconds{std::numeric_limits<std::int64_t>::max() / 2});
}

TEST(BackoffDelay, IsZeroWithoutABase) {
  EXPECT_EQ(backoff_delay(1, milliseconds{0}, milliseconds{0}, 12345), milliseconds{0});
  EXPECT_EQ(backoff_delay(5, milliseconds{0}, milliseconds{10}, 12345), milliseconds{0});
}

TEST(JitterSource, RepeatsForASeedAndDiffersAcrossSeeds) {
  JitterSource a(42);
  JitterSource b(42);
  JitterSource c(43);
  std::set<std::uint64_t> seen;
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
    differs = differs || x != c.next();
    seen.insert(x);
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(seen.size(), 100u);
}

TEST(JitterSource, MatchesTheSplitMix64ReferenceSequence) {
  // The first outputs of SplitMix64 seeded with 0, as published with the algorithm.
  JitterSource jitter(0);
  EXPECT_EQ(jitter.next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(jitter.next(), 0x6E789E6AA1B965F4ULL);
}

TEST(ParseHttpDate, ReadsAllThreeHttpDateForms) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
}

TEST(ParseHttpDate, RefusesWhatIsNotADate) {
  EXPECT_EQ(parse_http_date(""), std::nullopt);
  EXPECT_EQ(parse_http_date("120"), std::nullopt);
  EXPECT_EQ(parse_http_date("soon"), std::nullopt);
  EXPECT_EQ(parse_http_date("12:00"), std::nullopt);
}

TEST(ParseRetryAfter, ReadsDelaySeconds) {
  EXPECT_EQ(parse_retry_after("1", 0), milliseconds{1'000});
  EXPECT_EQ(parse_retry_after(" 120 ", 0), milliseconds{120'000});
  EXPECT_EQ(parse_retry_after("0", 0), milliseconds{0});
}

TEST(ParseRetryAfter, SaturatesHugeDelaysInsteadOfOverflowing) {
  const auto wait = parse_retry_after("99999999999999999999999999", 0);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, std::chrono::seconds(1'000'000'000));
}

TEST(ParseRetryAfter, MeasuresADateFromTheReference) {
  const std::int64_t date_header = *parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT");
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:03 GMT", date_header), milliseconds{3'000});
  // A date already past asks for no wait.
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", date_header), milliseconds{0});
}

TEST(ParseRetryAfter, RefusesOtherValues) {
  EXPECT_EQ(parse_retry_after("", 0), std::nullopt);
  EXPECT_EQ(parse_retry_after("-1", 0), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5", 0), std::nullopt);
  EXPECT_EQ(parse_retry_after("later", 0), std::nullopt);
}

TEST(Retryable, StatusesAre429AndEvery5xx) {
  EXPECT_TRUE(is_retryable_status(429));
  EXPECT_TRUE(is_retryable_status(500));
  EXPECT_TRUE(is_retryable_status(503));
  EXPECT_TRUE(is_retryable_status(599));
  for (const long status : {200L, 301L, 400L, 401L, 403L, 404L, 409L, 422L, 428L, 600L}) {
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
}

TEST(Retryable, CurlErrorsAreTheTransientOnes) {
  for (const CURLcode code :
       {CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_GOT_NOTHING, CURLE_SEND_ERROR,
        CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_COULDNT_RESOLVE_HOST}) {
    EXPECT_TRUE(is_retryable_curl_error(code)) << curl_easy_strerror(code);
  }
  for (const CURLcode code :
       {CURLE_OK, CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_PEER_FAILED_VERIFICATION,
        CURLE_SSL_CACERT_BADFILE, CURLE_OUT_OF_MEMORY, CURLE_TOO_MANY_REDIRECTS}) {
    EXPECT_FALSE(is_retryable_curl_error(code)) << curl_easy_strerror(code);
  }
}

}  // namespace
}  // namespace salespipe::io::http
