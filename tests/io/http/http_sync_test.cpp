#include "io/http/http_sync.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <set>

#include "core/error.hpp"
#include "io/sql/state_db.hpp"
#include "sync_test_support.hpp"
#include "test_server.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::http {
namespace {
using std::chrono::milliseconds;
using test::customer_rows;
using test::CustomerRow;
using test::ids_of;
using test::parse_batch;
using test::Recorded;
using test::Reply;
using test::TestServer;
using test::to_table;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kNow = "2024-03-01T12:00:00Z";
constexpr const char* kFinished = "2024-03-01T12:00:05Z";

std::chrono::system_clock::time_point finished_time() {
  return std::chrono::sys_days(std::chrono::year{2024} / 3 / 1) + std::chrono::hours(12) +
         std::chrono::seconds(5);
}

std::vector<std::string> ids_from(const std::vector<std::size_t>& numbers) {
  std::vector<std::string> ids;
  for (const std::size_t n : numbers) {
    ids.push_back(customer_rows(n).back().customer_id);
  }
  return ids;
}

class HttpSync : public ::testing::Test {
 protected:
  /// Options for the test server, batches of 3, waits recorded instead of slept.
  HttpOptions options(const std::string& url) {
    HttpOptions result;
    result.url = url;
    result.batch_size = 3;
    result.now_utc = kNow;
    result.jitter_seed = 42;
    result.sleep = [this](milliseconds wait) {
      sleeps_.push_back(wait);
      if (on_sleep_) {
        on_sleep_(sleeps_.size());
      }
    };
    result.clock = finished_time;
    return result;
  }
  HttpOptions options() { return options(server_.url()); }

  HttpSyncResult sync(const std::vector<CustomerRow>& rows, const HttpOptions& options) {
    return sync_http(to_table(rows), state_, options);
  }

  /// The HttpSyncError a sync that must fail throws.
  HttpSyncError failed_sync(const std::vector<CustomerRow>& rows, const HttpOptions& options) {
    try {
      sync(rows, options);
    } catch (const HttpSyncError& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Output);
      return error;
    }
    ADD_FAILURE() << "the sync did not fail";
    return HttpSyncError("nothing thrown", {});
  }

  /// The plain Error (not an HttpSyncError) a sync refused before sending throws.
  Error refused_sync(const ExportCustomers& customers, const HttpOptions& options) {
    try {
      sync_http(customers, state_, options);
    } catch (const HttpSyncError& error) {
      ADD_FAILURE() << "the sync was attempted: " << error.what();
      return error;
    } catch (const Error& error) {
      return error;
    }
    ADD_FAILURE() << "the sync was not refused";
    return Error(ErrorKind::Internal, "nothing thrown");
  }

  std::vector<sql::SyncFingerprint> saved(const HttpOptions& options) const {
    return state_.last_sent(options.state_key());
  }

  salespipe::testing::TempDir dir_;
  sql::StateDb state_ = sql::StateDb::open(dir_ / "state.sqlite");
  TestServer server_;
  std::vector<milliseconds> sleeps_;
  std::function<void(std::size_t)> on_sleep_;
};

TEST_F(HttpSync, FirstSyncSendsEveryCustomerInBatchesOfTheBatchSize) {
  const std::vector<CustomerRow> rows = customer_rows(7);
  const HttpSyncResult result = sync(rows, options());

  const std::vector<Recorded> requests = server_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(ids_of(requests[0].body), ids_from({1, 2, 3}));
  EXPECT_EQ(ids_of(requests[1].body), ids_from({4, 5, 6}));
  EXPECT_EQ(ids_of(requests[2].body), ids_from({7}));
  std::set<std::string> keys;
  for (const Recorded& request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, "/sync");
    EXPECT_EQ(request.header("Content-Type"), "application/json");
    const std::optional<std::string> key = request.header("Idempotency-Key");
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->size(), 32u);
    EXPECT_EQ(key->find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(parse_batch(request.body).batch_id, *key);
    keys.insert(*key);
  }
  EXPECT_EQ(keys.size(), 3u);

  EXPECT_EQ(result.customers, 7u);
  EXPECT_EQ(result.changed, 7u);
  EXPECT_EQ(result.sent, 7u);
  EXPECT_EQ(result.updated, 0u);
  EXPECT_EQ(result.unchanged, 0u);
  EXPECT_EQ(result.failed, 0u);
  EXPECT_EQ(result.batches, 3u);
  EXPECT_EQ(result.retries, 0u);
  EXPECT_EQ(result.error, std::nullopt);
  EXPECT_EQ(result.batch_keys, (std::vector<std::string>{*requests[0].header("Idempotency-Key"),
                                                         *requests[1].header("Idempotency-Key"),
                                                         *requests[2].header("Idempotency-Key")}));
  EXPECT_TRUE(sleeps_.empty());

  const ExportCustomers table = to_table(rows);
  const std::vector<sql::SyncFingerprint> state = saved(options());
  ASSERT_EQ(state.size(), 7u);
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(state[i].customer_id, rows[i].customer_id);
    EXPECT_EQ(state[i].fingerprint, customer_fingerprint(table, i, SyncFields::Segment));
  }
}

TEST_F(HttpSync, BodiesCarryEveryFieldOfTheCustomer) {
  const std::vector<CustomerRow> rows = customer_rows(7);
  sync(rows, options());
  std::vector<test::SentCustomer> sent;
  for (const Recorded& request : server_.requests()) {
    for (test::SentCustomer& customer : parse_batch(request.body).customers) {
      sent.push_back(std::move(customer));
    }
  }
  ASSERT_EQ(sent.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(sent[i].customer_id, rows[i].customer_id);
    EXPECT_EQ(sent[i].segment, rows[i].segment);
    EXPECT_EQ(sent[i].total_purchase_amount, exact_money_text(rows[i].total_purchase_amount));
    EXPECT_EQ(sent[i].purchase_frequency, rows[i].purchase_frequency);
    EXPECT_EQ(sent[i].avg_transaction_value, rows[i].avg_transaction_value);
    EXPECT_EQ(sent[i].recency_days, rows[i].recency_days);
    EXPECT_EQ(sent[i].updated_at, kNow);
  }
  // Customer 7 has sub-cent digits, which are kept.
  EXPECT_EQ(sent[6].total_purchase_amount, "864.1525");
}

TEST_F(HttpSync, SecondSyncOfTheSameDataSendsNothing) {
  const std::vector<CustomerRow> rows = customer_rows(7);
  sync(rows, options());
  const HttpSyncResult second = sync(rows, options());
  EXPECT_EQ(server_.requests().size(), 3u);
  EXPECT_EQ(second.changed, 0u);
  EXPECT_EQ(second.sent, 0u);
  EXPECT_EQ(second.unchanged, 7u);
  EXPECT_EQ(second.batches, 0u);
  EXPECT_TRUE(second.batch_keys.empty());
}

TEST_F(HttpSync, NothingToSendNeedsNoServer) {
  const std::vector<CustomerRow> rows = customer_rows(4);
  sync(rows, options());
  const HttpSyncResult second = sync(rows, options(server_.url()));
  HttpOptions unreachable = options("http://127.0.0.1:" + std::to_string(test::closed_port()));
  unreachable.destination_name = options().state_key();
  const HttpSyncResult third = sync(rows, unreachable);
  EXPECT_EQ(third.unchanged, 4u);
  EXPECT_EQ(third.error, std::nullopt);
  EXPECT_EQ(second.unchanged, 4u);
}

TEST_F(HttpSync, OneChangedSegmentSendsExactlyThatCustomer) {
  std::vector<CustomerRow> rows = customer_rows(7);
  sync(rows, options());
  rows[4].segment = "VIP";
  const HttpSyncResult result = sync(rows, options());
  const std::vector<Recorded> requests = server_.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(ids_of(requests[3].body), ids_from({5}));
  EXPECT_EQ(parse_batch(requests[3].body).customers.at(0).segment, "VIP");
  EXPECT_EQ(result.changed, 1u);
  EXPECT_EQ(result.sent, 1u);
  EXPECT_EQ(result.updated, 1u);
  EXPECT_EQ(result.unchanged, 6u);
  EXPECT_EQ(saved(options()).at(4).fingerprint,
            customer_fingerprint(to_table(rows), 4, SyncFields::Segment));
}

TEST_F(HttpSync, ANewCustomerIsSentAndNotCountedAsUpdated) {
  std::vector<CustomerRow> rows = customer_rows(7);
  sync(rows, options());
  rows = customer_rows(8);
  const HttpSyncResult result = sync(rows, options());
  EXPECT_EQ(ids_of(server_.requests().back().body), ids_from({8}));
  EXPECT_EQ(result.sent, 1u);
  EXPECT_EQ(result.updated, 0u);
}

TEST_F(HttpSync, SegmentModeIgnoresAFeatureChange) {
  std::vector<CustomerRow> rows = customer_rows(7);
  sync(rows, options());
  rows[2].total_purchase_amount.units += 10'000;
  rows[2].recency_days = 1;
  const HttpSyncResult result = sync(rows, options());
  EXPECT_EQ(server_.requests().size(), 3u);
  EXPECT_EQ(result.changed, 0u);
}

TEST_F(HttpSync, SyncFieldsAllSendsAFeatureChange) {
  std::vector<CustomerRow> rows = customer_rows(7);
  HttpOptions all = options();
  all.sync_fields = SyncFields::All;
  sync(rows, all);
  rows[2].total_purchase_amount.units += 10'000;
  const HttpSyncResult result = sync(rows, all);
  const std::vector<Recorded> requests = server_.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(ids_of(requests[3].body), ids_from({3}));
  EXPECT_EQ(result.changed, 1u);
  EXPECT_EQ(saved(all).at(2).fingerprint, customer_fingerprint(to_table(rows), 2, SyncFields::All));
}

TEST_F(HttpSync, SwitchingSyncFieldsResendsEveryCustomerOnce) {
  const std::vector<CustomerRow> rows = customer_rows(4);
  sync(rows, options());
  HttpOptions all = options();
  all.sync_fields = SyncFields::All;
  EXPECT_EQ(sync(rows, all).sent, 4u);
  EXPECT_EQ(sync(rows, all).sent, 0u);
}

TEST_F(HttpSync, DestinationsKeepSeparateState) {
  const std::vector<CustomerRow> rows = customer_rows(4);
  HttpOptions crm = options();
  crm.destination_name = "crm";
  HttpOptions marketing = options();
  marketing.destination_name = "marketing";
  EXPECT_EQ(sync(rows, crm).sent, 4u);
  EXPECT_EQ(sync(rows, marketing).sent, 4u);
  EXPECT_EQ(sync(rows, crm).sent, 0u);
}

TEST_F(HttpSync, RetriesA500WithTheSameKeyAndBody) {
  server_.script({Reply{.status = 500, .body = "overloaded"}});
  const HttpSyncResult result = sync(customer_rows(2), options());
  const std::vector<Recorded> requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);
  EXPECT_EQ(requests[0].header("Idempotency-Key"), requests[1].header("Idempotency-Key"));
  ASSERT_EQ(sleeps_.size(), 1u);
  EXPECT_GE(sleeps_[0], milliseconds{100});
  EXPECT_LE(sleeps_[0], milliseconds{200});
  EXPECT_EQ(result.retries, 1u);
  EXPECT_EQ(result.sent, 2u);
  EXPECT_EQ(saved(options()).size(), 2u);
}

TEST_F(HttpSync, BackoffDoublesBetweenRetriesOfOneBatch) {
  server_.script(
      {Reply{.status = 502}, Reply{.status = 503}, Reply{.status = 504}, Reply{.status = 500}});
  const HttpSyncResult result = sync(customer_rows(2), options());
  EXPECT_EQ(result.retries, 4u);
  ASSERT_EQ(sleeps_.size(), 4u);
  milliseconds base{200};
  for (const milliseconds wait : sleeps_) {
    EXPECT_GE(wait, base / 2);
    EXPECT_LE(wait, base);
    base *= 2;
  }
}

TEST_F(HttpSync, JitterRepeatsForTheSameSeedAndData) {
  server_.script({Reply{.status = 500}, Reply{.status = 500}, Reply{.status = 500}});
  sync(customer_rows(2), options());
  const std::vector<milliseconds> first = sleeps_;
  sleeps_.clear();
  server_.script({Reply{.status = 500}, Reply{.status = 500}, Reply{.status = 500}});
  HttpOptions again = options();
  again.destination_name = "another destination, so the same batch is sent again";
  sync(customer_rows(2), again);
  EXPECT_EQ(sleeps_, first);
}

TEST_F(HttpSync, HonoursRetryAfterSecondsOn429) {
  server_.script({Reply{.status = 429, .body = "slow down", .headers = {{"Retry-After", "1"}}}});
  const HttpSyncResult result = sync(customer_rows(2), options());
  EXPECT_EQ(server_.requests().size(), 2u);
  EXPECT_EQ(sleeps_, std::vector<milliseconds>{milliseconds{1'000}});
  EXPECT_EQ(result.sent, 2u);
}

TEST_F(HttpSync, HonoursARetryAfterDateAgainstTheServersDate) {
  server_.script({Reply{.status = 429,
                        .headers = {{"Date", "Wed, 21 Oct 2015 07:28:00 GMT"},
                                    {"Retry-After", "Wed, 21 Oct 2015 07:28:02 GMT"}}}});
  sync(customer_rows(2), options());
  EXPECT_EQ(sleeps_, std::vector<milliseconds>{milliseconds{2'000}});
}

TEST_F(HttpSync, MeasuresARetryAfterDateWithoutDateHeaderAgainstTheClock) {
  // The clock says 12:00:05; the server asks to wait until 12:00:08.
  server_.script(
      {Reply{.status = 503, .headers = {{"Retry-After", "Fri, 01 Mar 2024 12:00:08 GMT"}}}});
  sync(customer_rows(2), options());
  EXPECT_EQ(sleeps_, std::vector<milliseconds>{milliseconds{3'000}});
}

TEST_F(HttpSync, CapsALongRetryAfter) {
  server_.script({Reply{.status = 429, .headers = {{"Retry-After", "3600"}}}});
  HttpOptions capped = options();
  capped.max_retry_after = milliseconds{5'000};
  sync(customer_rows(2), capped);
  EXPECT_EQ(sleeps_, std::vector<milliseconds>{milliseconds{5'000}});
}

TEST_F(HttpSync, AShortRetryAfterDoesNotShortenTheBackoff) {
  server_.script({Reply{.status = 429, .headers = {{"Retry-After", "0"}}}});
  sync(customer_rows(2), options());
  ASSERT_EQ(sleeps_.size(), 1u);
  EXPECT_GE(sleeps_[0], milliseconds{100});
}

TEST_F(HttpSync, RetriesAConnectionDroppedBeforeTheAnswer) {
  server_.script({Reply{.drop = true}});
  const HttpSyncResult result = sync(customer_rows(2), options());
  const std::vector<Recorded> requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("Idempotency-Key"), requests[1].header("Idempotency-Key"));
  EXPECT_EQ(result.retries, 1u);
  EXPECT_EQ(result.sent, 2u);
}

TEST_F(HttpSync, RetriesARequestThatTimedOut) {
  server_.script({Reply{.delay = milliseconds{1'500}}});
  HttpOptions quick = options();
  quick.timeout = milliseconds{500};
  const HttpSyncResult result = sync(customer_rows(2), quick);
  EXPECT_EQ(server_.requests().size(), 2u);
  EXPECT_EQ(result.retries, 1u);
  EXPECT_EQ(result.sent, 2u);
}

TEST_F(HttpSync, NamesTheTransferErrorWhenRetriesRunOut) {
  HttpOptions once = options();
  once.max_attempts = 1;
  once.timeout = milliseconds{500};
  once.destination_name = "dropped";
  server_.script({Reply{.drop = true}});
  EXPECT_THAT(failed_sync(customer_rows(1), once).what(),
              HasSubstr("failed after 1 attempt; the last: Transferred a partial file ("));
  once.destination_name = "slow";
  server_.script({Reply{.delay = milliseconds{1'500}}});
  EXPECT_THAT(failed_sync(customer_rows(1), once).what(),
              HasSubstr("failed after 1 attempt; the last: Timeout was reached ("));
  test::SilentCloser closer;
  once.url = closer.url();
  once.destination_name = "silent";
  EXPECT_THAT(failed_sync(customer_rows(1), once).what(),
              HasSubstr("failed after 1 attempt; the last: Server returned nothing (no headers, "
                        "no data) ("));
}

TEST_F(HttpSync, RetriesAnEmptyReplyUntilTheServerIsBack) {
  test::SilentCloser closer;
  std::unique_ptr<TestServer> restarted;
  on_sleep_ = [&](std::size_t count) {
    if (count == 2) {
      const int port = closer.port();
      closer.stop();
      restarted = std::make_unique<TestServer>(port);
    }
  };
  const HttpSyncResult result = sync(customer_rows(2), options(closer.url()));
  EXPECT_EQ(closer.accepted(), 2);
  ASSERT_NE(restarted, nullptr);
  EXPECT_EQ(restarted->requests().size(), 1u);
  EXPECT_EQ(result.retries, 2u);
  EXPECT_EQ(result.sent, 2u);
}

TEST_F(HttpSync, RetriesARefusedConnectionUntilTheServerStarts) {
  const int port = test::closed_port();
  std::unique_ptr<TestServer> started;
  on_sleep_ = [&](std::size_t count) {
    if (count == 2) {
      started = std::make_unique<TestServer>(port);
    }
  };
  const HttpSyncResult result =
      sync(customer_rows(2), options("http://127.0.0.1:" + std::to_string(port) + "/sync"));
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(started->requests().size(), 1u);
  EXPECT_EQ(result.retries, 2u);
  EXPECT_EQ(result.sent, 2u);
}

TEST_F(HttpSync, GivesUpOnARefusedConnectionAfterMaxAttempts) {
  const std::string url = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/sync";
  HttpOptions four = options(url);
  four.max_attempts = 4;
  const HttpSyncError error = failed_sync(customer_rows(7), four);
  EXPECT_THAT(error.what(),
              StartsWith("HTTP sync to " + url +
                         ": batch 1 of 3 (3 customers) failed after 4 attempts; the last: "
                         "Couldn't connect to server ("));
  EXPECT_THAT(error.what(),
              HasSubstr("); no customer was delivered, 7 customers left for the next sync"));
  ASSERT_EQ(sleeps_.size(), 3u);
  milliseconds base{200};
  for (const milliseconds wait : sleeps_) {
    EXPECT_GE(wait, base / 2);
    EXPECT_LE(wait, base);
    base *= 2;
  }
  EXPECT_EQ(error.result().sent, 0u);
  EXPECT_EQ(error.result().failed, 7u);
  EXPECT_EQ(error.result().retries, 3u);
  EXPECT_EQ(error.result().error, std::string(error.what()));
  EXPECT_TRUE(saved(four).empty());
}

TEST_F(HttpSync, GivesUpOnRepeated5xxNamingTheLastStatus) {
  server_.set_fallback(Reply{.status = 503, .body = "down for maintenance\n"});
  HttpOptions three = options();
  three.max_attempts = 3;
  const HttpSyncError error = failed_sync(customer_rows(2), three);
  EXPECT_EQ(std::string(error.what()),
            "HTTP sync to " + server_.url() +
                ": batch 1 of 1 (2 customers) failed after 3 attempts; the last: HTTP 503: down "
                "for maintenance; no customer was delivered, 2 customers left for the next sync");
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(HttpSync, OneAttemptMeansNoRetry) {
  server_.set_fallback(Reply{.status = 500, .body = ""});
  HttpOptions once = options();
  once.max_attempts = 1;
  const HttpSyncError error = failed_sync(customer_rows(1), once);
  EXPECT_THAT(error.what(), HasSubstr("failed after 1 attempt; the last: HTTP 500 with an empty "
                                      "body; no customer was delivered, 1 customer left"));
  EXPECT_EQ(server_.requests().size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(HttpSync, A400FailsAtOnceWithTheServersMessageAndKeepsEarlierBatches) {
  server_.script(
      {Reply{}, Reply{.status = 400, .body = R"({"error":"unknown segment \"Gold\""})"}});
  const std::vector<CustomerRow> rows = customer_rows(7);
  const HttpSyncError error = failed_sync(rows, options());
  EXPECT_EQ(std::string(error.what()),
            "HTTP sync to " + server_.url() +
                R"(: batch 2 of 3 (3 customers) was refused: HTTP 400: {"error":"unknown segment )"
                R"(\"Gold\""}; 3 customers delivered and saved before it, 4 customers left for )"
                "the next sync");
  EXPECT_EQ(server_.requests().size(), 2u);
  EXPECT_TRUE(sleeps_.empty());
  const std::vector<sql::SyncFingerprint> state = saved(options());
  ASSERT_EQ(state.size(), 3u);
  EXPECT_EQ(state[0].customer_id, "C00001");
  EXPECT_EQ(state[2].customer_id, "C00003");
  EXPECT_EQ(error.result().sent, 3u);
  EXPECT_EQ(error.result().failed, 4u);
  EXPECT_EQ(error.result().batches, 1u);
  EXPECT_EQ(error.result().batch_keys.size(), 1u);
}

TEST_F(HttpSync, OtherClientErrorsFailAtOnce) {
  for (const int status : {401, 403, 404, 409, 413, 422}) {
    server_.script({Reply{.status = status, .body = "no"}});
    HttpOptions each = options();
    each.destination_name = "status " + std::to_string(status);
    const HttpSyncError error = failed_sync(customer_rows(1), each);
    EXPECT_THAT(error.what(), HasSubstr("was refused: HTTP " + std::to_string(status) + ": no;"));
    EXPECT_TRUE(saved(each).empty());
  }
  EXPECT_EQ(server_.requests().size(), 6u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(HttpSync, TheServersMessageIsCutAt500Bytes) {
  server_.script({Reply{.status = 422, .body = std::string(2'000, 'x')}});
  const HttpSyncError error = failed_sync(customer_rows(1), options());
  EXPECT_THAT(error.what(), HasSubstr(": " + std::string(500, 'x') + "…[truncated];"));
  EXPECT_THAT(error.what(), Not(HasSubstr(std::string(501, 'x'))));
}

TEST_F(HttpSync, ARedirectIsReportedNotFollowed) {
  server_.script({Reply{.status = 308, .headers = {{"Location", "https://new.example.com/sync"}}}});
  const HttpSyncError error = failed_sync(customer_rows(1), options());
  EXPECT_THAT(error.what(), HasSubstr("batch 1 of 1 (1 customer) failed: HTTP 308, a redirect to "
                                      "https://new.example.com/sync (not followed: give the "
                                      "final URL);"));
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(HttpSync, AnySuccessStatusDeliversTheBatch) {
  server_.script({Reply{.status = 201}, Reply{.status = 202}, Reply{.status = 204, .body = ""}});
  const HttpSyncResult result = sync(customer_rows(7), options());
  EXPECT_EQ(result.sent, 7u);
  EXPECT_EQ(result.retries, 0u);
}

TEST_F(HttpSync, ResumesAfterAFailureInBatch3WithoutResendingWhatSucceeded) {
  const std::vector<CustomerRow> rows = customer_rows(10);
  server_.script({Reply{}, Reply{}, Reply{.status = 400, .body = "bad batch"}});
  failed_sync(rows, options());
  const std::vector<Recorded> first_run = server_.requests();
  ASSERT_EQ(first_run.size(), 3u);
  EXPECT_EQ(saved(options()).size(), 6u);

  // A day later: updated_at differs, the keys must not.
  HttpOptions next_day = options();
  next_day.now_utc = "2024-03-02T08:30:00Z";
  const HttpSyncResult resumed = sync(rows, next_day);
  const std::vector<Recorded> all = server_.requests();
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(ids_of(all[3].body), ids_from({7, 8, 9}));
  EXPECT_EQ(ids_of(all[4].body), ids_from({10}));
  // The failed batch goes again with the key it had: a server that applied it can tell.
  EXPECT_EQ(all[3].header("Idempotency-Key"), first_run[2].header("Idempotency-Key"));
  EXPECT_EQ(parse_batch(all[3].body).customers.at(0).updated_at, "2024-03-02T08:30:00Z");
  EXPECT_EQ(resumed.sent, 4u);
  EXPECT_EQ(resumed.unchanged, 6u);

  // Every customer was accepted exactly once.
  std::vector<std::string> accepted;
  for (const std::size_t i : {0u, 1u, 3u, 4u}) {
    for (std::string& id : ids_of(all[i].body)) {
      accepted.push_back(std::move(id));
    }
  }
  std::sort(accepted.begin(), accepted.end());
  EXPECT_EQ(accepted, ids_from({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(sync(rows, options()).sent, 0u);
}

TEST_F(HttpSync, AChangeBackIsSentWithANewKey) {
  std::vector<CustomerRow> rows = customer_rows(1);
  sync(rows, options());
  rows[0].segment = "VIP";
  sync(rows, options());
  rows[0].segment = "Regular";
  sync(rows, options());
  const std::vector<Recorded> requests = server_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(parse_batch(requests[0].body).customers.at(0).segment, "Regular");
  EXPECT_EQ(parse_batch(requests[2].body).customers.at(0).segment, "Regular");
  EXPECT_NE(requests[0].header("Idempotency-Key"), requests[2].header("Idempotency-Key"));
}

TEST_F(HttpSync, DryRunSendsNothingAndChangesNoState) {
  const std::vector<CustomerRow> rows = customer_rows(7);
  HttpOptions dry = options();
  dry.dry_run = true;
  const HttpSyncResult preview = sync(rows, dry);
  EXPECT_TRUE(server_.requests().empty());
  EXPECT_TRUE(saved(dry).empty());
  EXPECT_TRUE(state_.sync_runs().empty());
  EXPECT_EQ(preview.changed, 7u);
  EXPECT_EQ(preview.sent, 0u);
  EXPECT_EQ(preview.batches, 3u);
  ASSERT_EQ(preview.batch_keys.size(), 3u);

  // What the dry run announced is what a real run sends.
  const HttpSyncResult real = sync(rows, options());
  EXPECT_EQ(real.batch_keys, preview.batch_keys);
}

TEST_F(HttpSync, DryRunAfterAPartialSyncReportsOnlyTheRest) {
  std::vector<CustomerRow> rows = customer_rows(7);
  sync(rows, options());
  rows[0].segment = "VIP";
  rows[6].segment = "VIP";
  HttpOptions dry = options();
  dry.dry_run = true;
  const HttpSyncResult preview = sync(rows, dry);
  EXPECT_EQ(preview.changed, 2u);
  EXPECT_EQ(preview.unchanged, 5u);
  EXPECT_EQ(preview.batches, 1u);
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(HttpSync, DryRunNeedsNoServer) {
  HttpOptions dry = options("http://127.0.0.1:" + std::to_string(test::closed_port()));
  dry.dry_run = true;
  EXPECT_EQ(sync(customer_rows(7), dry).batches, 3u);
}

TEST_F(HttpSync, SendsTheBearerTokenWhenGiven) {
  HttpOptions with_token = options();
  with_token.bearer_token = "tok-123.abc";
  sync(customer_rows(4), with_token);
  for (const Recorded& request : server_.requests()) {
    EXPECT_EQ(request.header("Authorization"), "Bearer tok-123.abc");
  }
  EXPECT_EQ(server_.requests().size(), 2u);
}

TEST_F(HttpSync, SendsNoAuthorizationWithoutAToken) {
  sync(customer_rows(4), options());
  for (const Recorded& request : server_.requests()) {
    EXPECT_EQ(request.header("Authorization"), std::nullopt);
  }
}

TEST_F(HttpSync, TheTokenAppearsInNoMessageOrState) {
  server_.script({Reply{.status = 401, .body = "invalid token"}});
  HttpOptions with_token = options();
  with_token.bearer_token = "very-secret-token";
  const HttpSyncError error = failed_sync(customer_rows(1), with_token);
  EXPECT_THAT(error.what(), Not(HasSubstr("very-secret")));
  for (const sql::SyncRun& run : state_.sync_runs()) {
    EXPECT_THAT(run.error.value_or(""), Not(HasSubstr("very-secret")));
    EXPECT_THAT(run.destination, Not(HasSubstr("very-secret")));
  }
}

TEST_F(HttpSync, KeepsOneConnectionAliveAcrossBatches) {
  sync(customer_rows(12), options());
  const std::vector<Recorded> requests = server_.requests();
  ASSERT_EQ(requests.size(), 4u);
  for (const Recorded& request : requests) {
    EXPECT_EQ(request.remote_port, requests[0].remote_port);
  }
}

TEST_F(HttpSync, RecordsOneSyncRunPerSync) {
  std::vector<CustomerRow> rows = customer_rows(7);
  sync(rows, options());
  rows[1].segment = "VIP";
  sync(rows, options());
  server_.script({Reply{.status = 400, .body = "nope"}});
  rows[3].segment = "Regular";
  rows[5].segment = "VIP";
  const HttpSyncError error = failed_sync(rows, options());

  const std::vector<sql::SyncRun> runs = state_.sync_runs();
  ASSERT_EQ(runs.size(), 3u);
  const std::string destination = options().state_key();
  EXPECT_EQ(runs[0], (sql::SyncRun{.sync_run_id = runs[0].sync_run_id,
                                   .destination = destination,
                                   .started_at = kNow,
                                   .finished_at = kFinished,
                                   .sent = 7,
                                   .updated = 0,
                                   .unchanged = 0,
                                   .failed = 0,
                                   .error = std::nullopt}));
  EXPECT_EQ(runs[1].sent, 1);
  EXPECT_EQ(runs[1].updated, 1);
  EXPECT_EQ(runs[1].unchanged, 6);
  EXPECT_EQ(runs[2].sent, 0);
  EXPECT_EQ(runs[2].unchanged, 5);
  EXPECT_EQ(runs[2].failed, 2);
  EXPECT_EQ(runs[2].error, std::string(error.what()));
}

TEST_F(HttpSync, SendsManyCustomersInFullBatches) {
  HttpOptions large = options();
  large.batch_size = 500;
  const HttpSyncResult result = sync(customer_rows(2'000), large);
  const std::vector<Recorded> requests = server_.requests();
  ASSERT_EQ(requests.size(), 4u);
  for (const Recorded& request : requests) {
    EXPECT_EQ(parse_batch(request.body).customers.size(), 500u);
  }
  EXPECT_EQ(result.sent, 2'000u);
  EXPECT_EQ(saved(large).size(), 2'000u);
}

TEST_F(HttpSync, RefusesDuplicateCustomerIdsBeforeSending) {
  std::vector<CustomerRow> rows = customer_rows(5);
  rows[4].customer_id = rows[1].customer_id;
  const Error error = refused_sync(to_table(rows), options());
  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_STREQ(
      error.what(),
      "HTTP sync: customer_id \"C00002\" appears twice, in rows 2 and 5; nothing was sent");
  EXPECT_TRUE(server_.requests().empty());
  EXPECT_TRUE(state_.sync_runs().empty());
}

TEST_F(HttpSync, RefusesAnEmptyCustomerId) {
  std::vector<CustomerRow> rows = customer_rows(3);
  rows[2].customer_id.clear();
  const Error error = refused_sync(to_table(rows), options());
  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_STREQ(error.what(), "HTTP sync: customer row 3 has an empty customer_id");
}

TEST_F(HttpSync, RefusesTextThatIsNotUtf8) {
  std::vector<CustomerRow> rows = customer_rows(3);
  rows[0].segment = "V\xffP";
  Error error = refused_sync(to_table(rows), options());
  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_STREQ(error.what(),
               "HTTP sync: customer \"C00001\" (row 1): segment \"V\xef\xbf\xbdP\" is not valid "
               "UTF-8");
  rows = customer_rows(3);
  rows[1].customer_id = "C\xc3";
  error = refused_sync(to_table(rows), options());
  EXPECT_STREQ(error.what(),
               "HTTP sync: customer row 2: customer_id \"C\xef\xbf\xbd\" is not valid UTF-8");
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(HttpSync, RefusesANonFiniteAverage) {
  std::vector<CustomerRow> rows = customer_rows(3);
  rows[1].avg_transaction_value = std::numeric_limits<double>::quiet_NaN();
  const Error error = refused_sync(to_table(rows), options());
  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_STREQ(error.what(),
               "HTTP sync: customer \"C00002\" (row 2): avg_transaction_value is not a finite "
               "number");
}

TEST_F(HttpSync, RefusesColumnsOfDifferentLengthsAsABug) {
  ExportCustomers customers = to_table(customer_rows(3));
  customers.recency_days.pop_back();
  const Error error = refused_sync(customers, options());
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_THAT(error.what(), HasSubstr("customer_id 3, segment 3, total_purchase_amount 3, "
                                      "purchase_frequency 3, avg_transaction_value 3, "
                                      "recency_days 2"));
}

TEST_F(HttpSync, ValidatesOptionsBeforeAnything) {
  HttpOptions bad = options();
  bad.url = "ftp://example.com";
  const Error error = refused_sync(to_table(customer_rows(2)), bad);
  EXPECT_EQ(error.kind(), ErrorKind::Usage);
  EXPECT_TRUE(state_.sync_runs().empty());
}

TEST_F(HttpSync, AnEmptyExportRecordsARunAndSendsNothing) {
  const HttpSyncResult result = sync({}, options());
  EXPECT_EQ(result.customers, 0u);
  EXPECT_TRUE(server_.requests().empty());
  EXPECT_EQ(state_.sync_runs().size(), 1u);
}

}  // namespace
}  // namespace salespipe::io::http
