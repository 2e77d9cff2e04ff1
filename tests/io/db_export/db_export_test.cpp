// The upsert contract, run against both destinations: SQLite/DbExport.* on a fresh file,
// Postgres/DbExport.* on the test server (tables named after the test, since tests share it).

#include "io/db_export/db_export.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>

#include "core/error.hpp"
#include "destinations.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::db_export {
namespace {
using test::Cell;
using test::CustomerRow;
using test::Rows;
using test::SaleRow;
using test::Sample;

constexpr const char* kFirstRun = "2024-03-01T12:00:00Z";
constexpr const char* kSecondRun = "2024-03-02T08:30:00Z";
const Cell kNull = std::nullopt;

enum class Kind { Sqlite, Postgres };

void PrintTo(Kind kind, std::ostream* out) {
  *out << (kind == Kind::Sqlite ? "SQLite" : "PostgreSQL");
}

using salespipe::testing::error_of;

Rows first_customers(const char* at = kFirstRun) {
  return {{"C001", "VIP", "1500.7500", "3", "500.25", "10", "1", at},
          {"C002", "Regular", "20.0000", "1", "20", "40", "0", at},
          {"C003", "Regular", "0.3000", "1", "0.30000000000000004", "7", "0", at}};
}

Rows first_sales(const char* at = kFirstRun) {
  return {
      {"S1", "P1", "C001", "500.2500", "3", "2023-01-15", "1500.7500", "4.5", "2023-01-20", "VIP",
       at},
      {"S2", "P2", "C002", "20.0000", "1", "2023-02-01", "20.0000", kNull, kNull, "Regular", at},
      {"S3", "P1", "C003", "0.1000", "3", "2023-03-31", "0.3000", "1", "2023-04-02", "Regular", at},
      {"S4", "P2", "C001", "0.0001", "1", "2023-02-28", "0.0001", "3.25", "2023-03-01", "VIP", at}};
}

class DbExport : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    options_.now_utc = kFirstRun;
    if (GetParam() == Kind::Sqlite) {
      destination_ = test::sqlite_destination(dir_ / "crm.sqlite");
      return;
    }
    const auto dsn = test::test_postgres_dsn();
    SALESPIPE_REQUIRE_POSTGRES(dsn);
    destination_ = test::postgres_destination(*dsn);
    options_.customers_table = test::table_for_this_test("customers");
    options_.sales_table = test::table_for_this_test("sales");
    // A developer's own server may keep tables of an earlier run.
    destination_->execute("DROP TABLE IF EXISTS \"" + options_.customers_table + "\", \"" +
                          options_.sales_table + "\"");
  }

  DbExportResult run(const Sample& sample) { return destination_->run(sample.data(), options_); }
  DbExportResult run_first_load() {
    const Sample sample(test::three_customers(), test::four_sales());
    return run(sample);
  }
  std::optional<Rows> customers() const { return destination_->dump(options_.customers_table); }
  std::optional<Rows> sales() const { return destination_->dump(options_.sales_table); }

  bool sqlite() const { return GetParam() == Kind::Sqlite; }

  salespipe::testing::TempDir dir_;
  std::unique_ptr<test::Destination> destination_;
  DbExportOptions options_;
};

TEST_P(DbExport, FirstLoadInsertsEveryRow) {
  const DbExportResult result = run_first_load();
  EXPECT_EQ(result.customers, (UpsertCounts{.inserted = 3, .updated = 0, .unchanged = 0}));
  EXPECT_EQ(result.sales, (UpsertCounts{.inserted = 4, .updated = 0, .unchanged = 0}));
  EXPECT_EQ(customers(), first_customers());
  EXPECT_EQ(sales(), first_sales());
}

TEST_P(DbExport, RerunWithTheSameDataLeavesEveryRowAsItWas) {
  run_first_load();
  options_.now_utc = kSecondRun;
  const DbExportResult result = run_first_load();
  EXPECT_EQ(result.customers, (UpsertCounts{.inserted = 0, .updated = 0, .unchanged = 3}));
  EXPECT_EQ(result.sales, (UpsertCounts{.inserted = 0, .updated = 0, .unchanged = 4}));
  // updated_at included: still the first run's time.
  EXPECT_EQ(customers(), first_customers());
  EXPECT_EQ(sales(), first_sales());
}

TEST_P(DbExport, ChangedSegmentUpdatesOnlyThatCustomerAndItsSales) {
  run_first_load();
  auto changed = test::three_customers();
  changed[1].segment = "VIP";  // C002, whose only sale is S2
  const Sample sample(changed, test::four_sales());
  options_.now_utc = kSecondRun;

  const DbExportResult result = run(sample);

  EXPECT_EQ(result.customers, (UpsertCounts{.inserted = 0, .updated = 1, .unchanged = 2}));
  EXPECT_EQ(result.sales, (UpsertCounts{.inserted = 0, .updated = 1, .unchanged = 3}));
  Rows expected_customers = first_customers();
  expected_customers[1] = {"C002", "VIP", "20.0000", "1", "20", "40", "0", kSecondRun};
  EXPECT_EQ(customers(), expected_customers);
  Rows expected_sales = first_sales();
  expected_sales[1] = {"S2",      "P2",  "C002", "20.0000", "1",       "2023-02-01",
                       "20.0000", kNull, kNull,  "VIP",     kSecondRun};
  EXPECT_EQ(sales(), expected_sales);
}

TEST_P(DbExport, DoubleDifferingInItsLastDigitIsAChange) {
  run_first_load();
  auto changed = test::three_customers();
  changed[2].avg_transaction_value = 0.3;  // was 0.1 + 0.2 = 0.30000000000000004
  const Sample sample(changed, test::four_sales());
  options_.now_utc = kSecondRun;

  const DbExportResult result = run(sample);

  EXPECT_EQ(result.customers, (UpsertCounts{.inserted = 0, .updated = 1, .unchanged = 2}));
  EXPECT_EQ(result.sales, (UpsertCounts{.inserted = 0, .updated = 0, .unchanged = 4}));
  Rows expected = first_customers();
  expected[2] = {"C003", "Regular", "0.3000", "1", "0.3", "7", "0", kSecondRun};
  EXPECT_EQ(customers(), expected);
}

TEST_P(DbExport, ReviewArrivingUpdatesTheSale) {
  run_first_load();
  auto changed = test::four_sales();
  changed[1].sentiment = 2.5;  // S2 had no review: NULL becomes a value
  changed[1].review_date = "2023-02-05";
  const Sample sample(test::three_customers(), changed);
  options_.now_utc = kSecondRun;

  const DbExportResult result = run(sample);

  EXPECT_EQ(result.customers, (UpsertCounts{.inserted = 0, .updated = 0, .unchanged = 3}));
  EXPECT_EQ(result.sales, (UpsertCounts{.inserted = 0, .updated = 1, .unchanged = 3}));
  Rows expected = first_sales();
  expected[1] = {"S2",      "P2",  "C002",       "20.0000", "1",       "2023-02-01",
                 "20.0000", "2.5", "2023-02-05", "Regular", kSecondRun};
  EXPECT_EQ(sales(), expected);
}

TEST_P(DbExport, NewCustomerIsInsertedBesideTheOthers) {
  run_first_load();
  auto more = test::three_customers();
  more.push_back({"C004", "Regular", 10'000, 1, 1.0, 1, 0});
  const Sample sample(more, test::four_sales());
  options_.now_utc = kSecondRun;

  const DbExportResult result = run(sample);

  EXPECT_EQ(result.customers, (UpsertCounts{.inserted = 1, .updated = 0, .unchanged = 3}));
  Rows expected = first_customers();
  expected.push_back({"C004", "Regular", "1.0000", "1", "1", "1", "0", kSecondRun});
  EXPECT_EQ(customers(), expected);
}

TEST_P(DbExport, RowsMissingFromTheExportAreKept) {
  run_first_load();
  const Sample sample({test::three_customers()[0]}, {test::four_sales()[0]});
  options_.now_utc = kSecondRun;

  const DbExportResult result = run(sample);

  // An upsert never deletes: a customer absent from this export keeps its last values.
  EXPECT_EQ(result.customers, (UpsertCounts{.inserted = 0, .updated = 0, .unchanged = 1}));
  EXPECT_EQ(result.sales, (UpsertCounts{.inserted = 0, .updated = 0, .unchanged = 1}));
  EXPECT_EQ(customers(), first_customers());
  EXPECT_EQ(sales(), first_sales());
}

TEST_P(DbExport, FailureBeforeCommitLeavesBothTablesAsTheyWere) {
  run_first_load();
  const auto before_customers = customers();
  const auto before_sales = sales();
  auto changed = test::three_customers();
  changed[0].segment = "Regular";
  changed.push_back({"C004", "Regular", 10'000, 1, 1.0, 1, 0});
  auto changed_sales = test::four_sales();
  changed_sales.push_back({"S5", "P1", "C004", 10'000, 1, "2023-03-01", 10'000, std::nullopt, ""});
  const Sample sample(changed, changed_sales);
  options_.now_utc = kSecondRun;
  options_.fail_before_commit_for_testing = true;

  const Error error = error_of([&] { run(sample); });

  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(error.message(), std::string(sqlite() ? "" : "PostgreSQL: ") +
                                 "cannot commit: failure injected before COMMIT (test hook)");
  EXPECT_EQ(customers(), before_customers);
  EXPECT_EQ(sales(), before_sales);
  EXPECT_EQ(customers(), first_customers());
}

TEST_P(DbExport, FailureOnTheFirstExportLeavesNoTables) {
  options_.fail_before_commit_for_testing = true;
  const Error error = error_of([&] { run_first_load(); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(customers(), std::nullopt);
  EXPECT_EQ(sales(), std::nullopt);
}

TEST_P(DbExport, DuplicateCustomerKeysAreRefusedBeforeAnythingIsSent) {
  run_first_load();
  auto duplicated = test::three_customers();
  duplicated.push_back(duplicated[1]);
  duplicated.back().segment = "VIP";
  const Sample sample(duplicated, test::four_sales());
  options_.now_utc = kSecondRun;

  const Error error = error_of([&] { run(sample); });

  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_EQ(error.message(),
            "customers: rows 2 and 4 have the same customer_id \"C002\"; duplicate keys are "
            "refused before anything is sent");
  EXPECT_EQ(customers(), first_customers());
  EXPECT_EQ(sales(), first_sales());
}

TEST_P(DbExport, DuplicateSaleIdsAreRefusedBeforeAnythingIsSent) {
  auto duplicated = test::four_sales();
  duplicated[2].sale_id = "S1";
  const Sample sample(test::three_customers(), duplicated);

  const Error error = error_of([&] { run(sample); });

  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_EQ(error.message(),
            "sales: rows 1 and 3 have the same sale_id \"S1\"; duplicate keys are refused "
            "before anything is sent");
  EXPECT_EQ(customers(), std::nullopt);
  EXPECT_EQ(sales(), std::nullopt);
}

TEST_P(DbExport, EmptyKeyIsRefused) {
  auto customers_rows = test::three_customers();
  customers_rows[1].customer_id = "";
  const Sample sample(customers_rows, {});
  options_.include_sales = false;

  const Error error = error_of([&] { run(sample); });

  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_EQ(error.message(), "customers: row 2: customer_id is empty");
  EXPECT_EQ(customers(), std::nullopt);
}

TEST_P(DbExport, BadTableNameIsRefusedBeforeAnythingIsSent) {
  options_.customers_table = "customer segments";
  const Error error = error_of([&] { run_first_load(); });
  EXPECT_EQ(error.kind(), ErrorKind::Usage);
  EXPECT_EQ(error.message(),
            "bad customers table name \"customer segments\": use 1 to 63 ASCII letters, digits "
            "and underscores, not starting with a digit or sqlite_");
  EXPECT_EQ(sales(), std::nullopt);
}

TEST_P(DbExport, TableOfAnotherShapeFailsWithTheDatabaseMessageAndChangesNothing) {
  const std::string table = "\"" + options_.customers_table + "\"";
  destination_->execute("CREATE TABLE " + table + " (customer_id TEXT PRIMARY KEY, note TEXT)");
  destination_->execute("INSERT INTO " + table + " VALUES ('C001', 'kept')");

  const Error error = error_of([&] { run_first_load(); });

  EXPECT_EQ(error.kind(), ErrorKind::Output);
  const std::string expected =
      sqlite() ? "cannot upsert into table " + options_.customers_table + ": table main." +
                     options_.customers_table + " has no column named segment"
               : "PostgreSQL: cannot upsert into table " + options_.customers_table +
                     ": column \"segment\" of relation \"" + options_.customers_table +
                     "\" does not exist";
  EXPECT_EQ(error.message(), expected);
  EXPECT_EQ(customers(), (Rows{{"C001", "kept"}}));
  EXPECT_EQ(sales(), std::nullopt);
}

TEST_P(DbExport, SalesAreLeftOutWhenNotIncluded) {
  Sample sample(test::three_customers(), {});
  sample.data().sales = nullptr;
  options_.include_sales = false;

  const DbExportResult result = run(sample);

  EXPECT_EQ(result.customers.inserted, 3U);
  EXPECT_EQ(result.sales, UpsertCounts{});
  EXPECT_EQ(customers(), first_customers());
  EXPECT_EQ(sales(), std::nullopt);
}

TEST_P(DbExport, EmptyExportCreatesEmptyTables) {
  const Sample sample({}, {});
  const DbExportResult result = run(sample);
  EXPECT_EQ(result, DbExportResult{});
  EXPECT_EQ(customers(), Rows{});
  EXPECT_EQ(sales(), Rows{});
}

TEST_P(DbExport, TextNeedingEscapesRoundTrips) {
  const std::vector<std::string> ids = {"C\\1",       "C\t2", "C\n3", "C\"4",
                                        "\xc3\x96'5", "C\r6", "\\N"};
  std::vector<CustomerRow> rows;
  for (const std::string& id : ids) {
    rows.push_back({id, "seg\tment\\", 10'000, 1, 1.5, 2, 0});
  }
  const Sample sample(rows, {});
  options_.include_sales = false;

  EXPECT_EQ(run(sample).customers.inserted, ids.size());
  options_.now_utc = kSecondRun;
  EXPECT_EQ(run(sample).customers.unchanged, ids.size());

  const auto stored = customers();
  ASSERT_TRUE(stored.has_value());
  std::vector<std::string> stored_ids;
  for (const auto& row : *stored) {
    stored_ids.push_back(row[0].value_or("NULL"));
    EXPECT_EQ(row[1], "seg\tment\\");
  }
  std::vector<std::string> expected_ids = ids;
  std::sort(expected_ids.begin(), expected_ids.end());
  std::sort(stored_ids.begin(), stored_ids.end());  // collations may order them differently
  EXPECT_EQ(stored_ids, expected_ids);
}

TEST_P(DbExport, ExtremeAmountsAreStoredExactly) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const Sample sample({{"C1", "VIP", kMax, 1, 1.0, 0, 1}, {"C2", "Regular", kMin, 1, 1.0, 0, 0}},
                      {});
  options_.include_sales = false;

  run(sample);
  options_.now_utc = kSecondRun;
  EXPECT_EQ(run(sample).customers.unchanged, 2U);

  const auto stored = customers();
  ASSERT_TRUE(stored.has_value());
  ASSERT_EQ(stored->size(), 2U);
  EXPECT_EQ((*stored)[0][2], "922337203685477.5807");
  EXPECT_EQ((*stored)[1][2], "-922337203685477.5808");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, DbExport, ::testing::Values(Kind::Sqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, DbExport, ::testing::Values(Kind::Postgres));

}  // namespace
}  // namespace salespipe::io::db_export
