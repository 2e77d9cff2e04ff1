#include "io/sql/state_db.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/sql/warehouse.hpp"
#include "test_db.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::sql {
namespace {
namespace fs = std::filesystem;
using salespipe::testing::TempDir;
using test_db::execute;
using test_db::integer;
using test_db::query;
using test_db::Rows;
using test_db::text;

using salespipe::testing::error_of;

RunRecord etl_run(std::string started_at, std::string finished_at) {
  return RunRecord{.command = "etl",
                   .started_at = std::move(started_at),
                   .finished_at = std::move(finished_at),
                   .status = "ok",
                   .exit_code = 0,
                   .rows_read = 1000,
                   .rows_loaded = 990,
                   .rows_rejected = 10,
                   .manifest_json = R"({"outputs": ["processed_sales_data.csv"]})"};
}

class State : public ::testing::Test {
 protected:
  TempDir dir_;
  fs::path path_ = dir_ / "state.sqlite";
};

TEST_F(State, OpeningCreatesTheTablesAndHeader) {
  StateDb::open(path_);
  EXPECT_EQ(query(path_, "PRAGMA application_id"), (Rows{{integer(0x53505354)}}));
  EXPECT_EQ(query(path_, "PRAGMA user_version"), (Rows{{integer(1)}}));
  EXPECT_EQ(query(path_, "PRAGMA journal_mode"), (Rows{{text("delete")}}));
  EXPECT_EQ(query(path_,
                  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                  "'sqlite_%' ORDER BY name"),
            (Rows{{text("runs")}, {text("sync_runs")}, {text("sync_state")}}));
  EXPECT_EQ(query(path_, "SELECT name FROM pragma_table_info('runs')"),
            (Rows{{text("run_id")},
                  {text("command")},
                  {text("started_at")},
                  {text("finished_at")},
                  {text("status")},
                  {text("exit_code")},
                  {text("rows_read")},
                  {text("rows_loaded")},
                  {text("rows_rejected")},
                  {text("manifest_json")}}));
  EXPECT_EQ(query(path_, "SELECT name FROM pragma_table_info('sync_runs')"),
            (Rows{{text("sync_run_id")},
                  {text("destination")},
                  {text("started_at")},
                  {text("finished_at")},
                  {text("sent")},
                  {text("updated")},
                  {text("unchanged")},
                  {text("failed")},
                  {text("error")}}));
  EXPECT_EQ(query(path_, "SELECT name, pk FROM pragma_table_info('sync_state')"),
            (Rows{{text("destination"), integer(1)},
                  {text("customer_id"), integer(2)},
                  {text("fingerprint"), integer(0)},
                  {text("synced_at"), integer(0)}}));
}

TEST_F(State, RecordedRunsComeBackInOrderWithIncreasingIds) {
  StateDb state = StateDb::open(path_);
  RunRecord first = etl_run("2024-03-01T12:00:00Z", "2024-03-01T12:00:05.250Z");
  RunRecord second = etl_run("2024-03-01T11:00:00Z", "2024-03-01T11:00:01Z");
  second.command = "segment";
  second.status = "failed";
  second.exit_code = 3;
  second.rows_read = second.rows_loaded = second.rows_rejected = 0;
  second.manifest_json.reset();

  first.run_id = state.record_run(first);
  second.run_id = state.record_run(second);
  EXPECT_EQ(first.run_id, 1);
  EXPECT_EQ(second.run_id, 2);
  // Recording order, not the timestamps, decides the order.
  EXPECT_EQ(state.runs(), (std::vector<RunRecord>{first, second}));
  EXPECT_EQ(query(path_, "SELECT manifest_json IS NULL FROM runs ORDER BY run_id"),
            (Rows{{integer(0)}, {integer(1)}}));
}

TEST_F(State, ReopeningKeepsTheHistory) {
  const RunRecord first = etl_run("2024-03-01T12:00:00Z", "2024-03-01T12:00:05Z");
  {
    StateDb state = StateDb::open(path_);
    state.record_run(first);
  }
  StateDb state = StateDb::open(path_);
  const std::int64_t id = state.record_run(etl_run("2024-03-02T08:00:00Z", "2024-03-02T08:00:09Z"));
  EXPECT_EQ(id, 2);
  const std::vector<RunRecord> runs = state.runs();
  ASSERT_EQ(runs.size(), 2U);
  EXPECT_EQ(runs[0].run_id, 1);
  EXPECT_EQ(runs[0].started_at, "2024-03-01T12:00:00Z");
  EXPECT_EQ(runs[1].started_at, "2024-03-02T08:00:00Z");
}

TEST_F(State, RunIdsAreNotReusedAfterADelete) {
  StateDb state = StateDb::open(path_);
  state.record_run(etl_run("2024-03-01T12:00:00Z", "2024-03-01T12:00:05Z"));
  state.record_run(etl_run("2024-03-01T13:00:00Z", "2024-03-01T13:00:05Z"));
  execute(path_, "DELETE FROM runs WHERE run_id = 2");
  EXPECT_EQ(state.record_run(etl_run("2024-03-01T14:00:00Z", "2024-03-01T14:00:05Z")), 3);
}

TEST_F(State, ABadTimestampIsAnInternalErrorAndRecordsNothing) {
  StateDb state = StateDb::open(path_);
  const Error error =
      error_of([&] { state.record_run(etl_run("2024-03-01 12:00:00", "2024-03-01T12:00:05Z")); });
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(std::string(error.what()),
            "state database: started_at \"2024-03-01 12:00:00\" is not an ISO-8601 UTC timestamp "
            "(yyyy-mm-ddThh:mm:ssZ)");
  const Error finished = error_of(
      [&] { state.record_run(etl_run("2024-03-01T12:00:00Z", "2024-03-01T12:00:05+01:00")); });
  EXPECT_EQ(std::string(finished.what()),
            "state database: finished_at \"2024-03-01T12:00:05+01:00\" is not an ISO-8601 UTC "
            "timestamp (yyyy-mm-ddThh:mm:ssZ)");
  EXPECT_TRUE(state.runs().empty());
}

TEST(UtcTimestamp, AcceptsSecondsAndFractionsInUtc) {
  for (const char* good : {"2024-03-01T12:00:00Z", "2024-02-29T23:59:59.999999Z",
                           "1999-12-31T23:59:60Z", "2024-03-01T00:00:00.0Z"}) {
    EXPECT_TRUE(is_utc_timestamp(good)) << good;
  }
}

TEST(UtcTimestamp, RefusesOtherShapesZonesAndImpossibleValues) {
  for (const char* bad :
       {"", "2024-03-01", "2024-03-01T12:00Z", "2024-03-01T12:00:00", "2024-03-01 12:00:00Z",
        "2024-03-01T12:00:00+00:00", "2024-03-01T12:00:00.Z", "2024-03-01T12:00:00,5Z",
        "2023-02-29T12:00:00Z", "2024-13-01T12:00:00Z", "2024-03-01T24:00:00Z",
        "2024-03-01T12:60:00Z", "2024-03-01T12:00:61Z", "2024-03-01T1a:00:00Z",
        "2024-03-01T12:00:00.5xZ", "2024-03-01t12:00:00z"}) {
    EXPECT_FALSE(is_utc_timestamp(bad)) << bad;
  }
}

TEST_F(State, SyncFingerprintsRoundTripPerDestination) {
  StateDb state = StateDb::open(path_);
  EXPECT_EQ(state.last_sent("crm", "C1"), std::nullopt);
  EXPECT_TRUE(state.last_sent("crm").empty());

  state.put_last_sent("crm", {{"C2", "aa02"}, {"C1", "aa01"}}, "2024-03-01T12:00:00Z");
  state.put_last_sent("mail", {{"C1", "bb01"}}, "2024-03-01T12:00:00Z");
  // A later sync replaces C1's fingerprint and adds C3, leaving C2 as it was.
  state.put_last_sent("crm", {{"C1", "cc01"}, {"C3", "cc03"}}, "2024-03-02T09:30:00Z");

  EXPECT_EQ(state.last_sent("crm", "C1"), "cc01");
  EXPECT_EQ(state.last_sent("crm", "C9"), std::nullopt);
  EXPECT_EQ(state.last_sent("mail", "C1"), "bb01");
  EXPECT_EQ(state.last_sent("crm"),
            (std::vector<SyncFingerprint>{{"C1", "cc01"}, {"C2", "aa02"}, {"C3", "cc03"}}));
  EXPECT_EQ(query(path_,
                  "SELECT customer_id, synced_at FROM sync_state WHERE destination = 'crm' "
                  "ORDER BY customer_id"),
            (Rows{{text("C1"), text("2024-03-02T09:30:00Z")},
                  {text("C2"), text("2024-03-01T12:00:00Z")},
                  {text("C3"), text("2024-03-02T09:30:00Z")}}));

  // And after reopening.
  StateDb reopened = StateDb::open(path_);
  EXPECT_EQ(reopened.last_sent("crm").size(), 3U);
  EXPECT_EQ(reopened.last_sent("mail", "C1"), "bb01");
}

TEST_F(State, AFailedPutStoresNoneOfItsFingerprints) {
  StateDb state = StateDb::open(path_);
  state.put_last_sent("crm", {{"C1", "old"}}, "2024-03-01T12:00:00Z");
  // A trigger stands in for a failure in the middle of the batch (a full disk, say).
  execute(path_,
          "CREATE TRIGGER refuse_bad BEFORE INSERT ON sync_state WHEN NEW.customer_id = 'BAD' "
          "BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
  const Error error = error_of([&] {
    state.put_last_sent("crm", {{"C1", "new"}, {"C2", "new"}, {"BAD", "new"}},
                        "2024-03-02T12:00:00Z");
  });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            path_.string() + ": cannot store the sync state: refused by test");
  EXPECT_EQ(state.last_sent("crm"), (std::vector<SyncFingerprint>{{"C1", "old"}}));

  const Error bad_time = error_of([&] {
    state.put_last_sent("crm", {{"C1", "new"}}, "yesterday");
  });
  EXPECT_EQ(bad_time.kind(), ErrorKind::Internal);
  EXPECT_EQ(state.last_sent("crm", "C1"), "old");
}

TEST_F(State, SyncRunsRoundTripInOrder) {
  const SyncRun ok{.destination = "crm",
                   .started_at = "2024-03-01T12:00:00Z",
                   .finished_at = "2024-03-01T12:00:03Z",
                   .sent = 40,
                   .updated = 12,
                   .unchanged = 28,
                   .failed = 0};
  const SyncRun failed{.destination = "crm",
                       .started_at = "2024-03-01T13:00:00Z",
                       .finished_at = "2024-03-01T13:00:30Z",
                       .sent = 10,
                       .updated = 0,
                       .unchanged = 0,
                       .failed = 10,
                       .error = "HTTP 400: customer_id is required"};
  {
    StateDb state = StateDb::open(path_);
    EXPECT_EQ(state.record_sync_run(ok), 1);
    EXPECT_EQ(state.record_sync_run(failed), 2);
  }
  StateDb state = StateDb::open(path_);
  SyncRun ok_with_id = ok;
  ok_with_id.sync_run_id = 1;
  SyncRun failed_with_id = failed;
  failed_with_id.sync_run_id = 2;
  EXPECT_EQ(state.sync_runs(), (std::vector<SyncRun>{ok_with_id, failed_with_id}));
  EXPECT_EQ(query(path_, "SELECT error IS NULL FROM sync_runs ORDER BY sync_run_id"),
            (Rows{{integer(1)}, {integer(0)}}));
}

TEST_F(State, RefusesADatabaseOfAnotherApplication) {
  salespipe::testing::write_file(path_, "");
  execute(path_, "CREATE TABLE customers (id INTEGER)");
  const Error error = error_of([&] { StateDb::open(path_); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            path_.string() + ": not a salespipe state database: it holds other tables");
  EXPECT_EQ(query(path_, "SELECT name FROM sqlite_master"), (Rows{{text("customers")}}));
}

TEST_F(State, RefusesTheWarehouse) {
  const fs::path warehouse = dir_ / "warehouse.sqlite";
  write_warehouse(warehouse, SalesTable{}, ReviewTable{}, {});
  const Error error = error_of([&] { StateDb::open(warehouse); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            warehouse.string() +
                ": not a salespipe state database: application_id is 0x53505748, expected "
                "0x53505354");
}

TEST_F(State, RefusesANewerSchemaVersion) {
  StateDb::open(path_);
  execute(path_, "PRAGMA user_version = 2");
  const Error error = error_of([&] { StateDb::open(path_); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            path_.string() +
                ": state database schema version 2 is newer than this salespipe supports (1); "
                "use a newer salespipe");
}

TEST_F(State, RefusesAFileThatIsNotADatabase) {
  salespipe::testing::write_file(path_, "run_id,command\n1,etl\n and more text to fill a header");
  const Error error = error_of([&] { StateDb::open(path_); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            path_.string() + ": cannot configure the state database: file is not a database");
}

TEST_F(State, ReportsAPathThatCannotBeCreated) {
  const fs::path not_a_folder = dir_ / "plain-file";
  salespipe::testing::write_file(not_a_folder, "x");
  const fs::path inside = not_a_folder / "state.sqlite";
  const Error error = error_of([&] { StateDb::open(inside); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            inside.string() + ": cannot open the database: unable to open database file");

  const Error folder = error_of([&] { StateDb::open(dir_.path()); });
  EXPECT_EQ(folder.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(folder.what()),
            dir_.path().string() + ": cannot open the database: unable to open database file");
}

}  // namespace
}  // namespace salespipe::io::sql
