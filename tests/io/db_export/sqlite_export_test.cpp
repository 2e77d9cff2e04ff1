// What only the SQLite destination does: its column types, its file handling and its errors.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>

#include "core/error.hpp"
#include "destinations.hpp"
#include "io/db_export/db_export.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::db_export {
namespace {
namespace fs = std::filesystem;
using test::Rows;
using test::Sample;

using salespipe::testing::error_of;

class SqliteExport : public ::testing::Test {
 protected:
  SqliteExport() { options_.now_utc = "2024-03-01T12:00:00Z"; }

  salespipe::testing::TempDir dir_;
  fs::path file_ = dir_ / "crm.sqlite";
  DbExportOptions options_;
  Sample sample_{test::three_customers(), test::four_sales()};
};

TEST_F(SqliteExport, ColumnsHaveTheDocumentedTypesAndKeys) {
  export_sqlite(file_, sample_.data(), options_);
  const auto destination = test::sqlite_destination(file_);
  destination->execute(
      "CREATE TABLE shape AS SELECT m.name || '.' || p.name AS col, p.type, p.\"notnull\", p.pk "
      "FROM sqlite_master AS m, pragma_table_info(m.name) AS p WHERE m.name IN "
      "('customer_segments', 'sales_enriched')");
  EXPECT_EQ(destination->dump("shape"),
            (Rows{{"customer_segments.avg_transaction_value", "REAL", "1", "0"},
                  {"customer_segments.cluster", "INTEGER", "1", "0"},
                  {"customer_segments.customer_id", "TEXT", "1", "1"},
                  {"customer_segments.purchase_frequency", "INTEGER", "1", "0"},
                  {"customer_segments.recency_days", "INTEGER", "1", "0"},
                  {"customer_segments.segment", "TEXT", "1", "0"},
                  {"customer_segments.total_purchase_amount", "TEXT", "1", "0"},
                  {"customer_segments.updated_at", "TEXT", "1", "0"},
                  {"sales_enriched.customer_id", "TEXT", "1", "0"},
                  {"sales_enriched.product_id", "TEXT", "1", "0"},
                  {"sales_enriched.quantity", "INTEGER", "1", "0"},
                  {"sales_enriched.review_date", "TEXT", "0", "0"},
                  {"sales_enriched.sale_date", "TEXT", "1", "0"},
                  {"sales_enriched.sale_id", "TEXT", "1", "1"},
                  {"sales_enriched.sale_price", "TEXT", "1", "0"},
                  {"sales_enriched.segment", "TEXT", "1", "0"},
                  {"sales_enriched.sentiment_score", "REAL", "0", "0"},
                  {"sales_enriched.total_revenue", "TEXT", "1", "0"},
                  {"sales_enriched.updated_at", "TEXT", "1", "0"}}));
}

TEST_F(SqliteExport, MoneyIsStoredAsTextNeverAsAFloat) {
  export_sqlite(file_, sample_.data(), options_);
  const auto destination = test::sqlite_destination(file_);
  destination->execute(
      "CREATE TABLE kinds AS SELECT customer_id, typeof(total_purchase_amount) AS money, "
      "typeof(avg_transaction_value) AS avg FROM customer_segments");
  EXPECT_EQ(destination->dump("kinds"),
            (Rows{{"C001", "text", "real"}, {"C002", "text", "real"}, {"C003", "text", "real"}}));
}

TEST_F(SqliteExport, AFirstExportBuildsAsideAndLeavesOnlyTheDatabase) {
  export_sqlite(file_, sample_.data(), options_);
  std::vector<std::string> entries;
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    entries.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(entries, std::vector<std::string>{"crm.sqlite"});
  EXPECT_EQ(test::sqlite_destination(file_)->dump("customer_segments")->size(), 3u);
}

TEST_F(SqliteExport, FailedFirstExportRemovesTheFileItCreated) {
  options_.fail_before_commit_for_testing = true;
  const Error error = error_of([&] { export_sqlite(file_, sample_.data(), options_); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            file_.string() + ": cannot commit: failure injected before COMMIT (test hook)");
  EXPECT_FALSE(fs::exists(file_));
  EXPECT_FALSE(fs::exists(fs::path(file_) += "-journal"));
  EXPECT_EQ(salespipe::testing::entries_named_with(dir_.path(), "salespipe-tmp"),
            std::vector<std::string>{});
}

TEST_F(SqliteExport, FailedExportKeepsAFileThatExisted) {
  const auto destination = test::sqlite_destination(file_);
  destination->execute("CREATE TABLE unrelated (x INTEGER)");
  options_.fail_before_commit_for_testing = true;
  error_of([&] { export_sqlite(file_, sample_.data(), options_); });
  EXPECT_EQ(destination->dump("unrelated"), Rows{});
  EXPECT_EQ(destination->dump("customer_segments"), std::nullopt);
}

TEST_F(SqliteExport, FolderAsDatabaseIsAnOutputError) {
  const Error error = error_of([&] { export_sqlite(dir_.path(), sample_.data(), options_); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            dir_.path().string() + ": cannot open the database: unable to open database file");
  EXPECT_TRUE(fs::is_directory(dir_.path()));
}

TEST_F(SqliteExport, FileThatIsNotADatabaseIsAnOutputErrorAndStaysAsItWas) {
  const std::string text = "customer_id,segment\nC001,VIP\n";
  salespipe::testing::write_file(file_, text);
  const Error error = error_of([&] { export_sqlite(file_, sample_.data(), options_); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()),
            file_.string() + ": cannot start a transaction: file is not a database");
  EXPECT_EQ(salespipe::testing::read_file(file_), text);
}

TEST_F(SqliteExport, OtherTablesInTheFileAreLeftAlone) {
  const auto destination = test::sqlite_destination(file_);
  destination->execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
  destination->execute("INSERT INTO notes VALUES (1, 'keep me')");
  export_sqlite(file_, sample_.data(), options_);
  EXPECT_EQ(destination->dump("notes"), (Rows{{"1", "keep me"}}));
}

TEST_F(SqliteExport, FractionalNowIsStoredAsGiven) {
  options_.now_utc = "2024-03-01T12:00:00.123456Z";
  options_.include_sales = false;
  export_sqlite(file_, sample_.data(), options_);
  const auto rows = test::sqlite_destination(file_)->dump("customer_segments");
  ASSERT_TRUE(rows.has_value());
  EXPECT_EQ((*rows)[0].back(), "2024-03-01T12:00:00.123456Z");
}

TEST_F(SqliteExport, ManyRowsSpanSeveralStagingBatches) {
  // More rows than one staging INSERT holds, and not a multiple of it.
  std::vector<test::CustomerRow> rows;
  for (int i = 0; i < 1000; ++i) {
    rows.push_back({fmt::format("C{}", 10000 + i), i % 3 == 0 ? "VIP" : "Regular", i * 10'000,
                    i + 1, i * 0.5, i, i % 2});
  }
  const Sample sample(rows, {});
  options_.include_sales = false;
  EXPECT_EQ(export_sqlite(file_, sample.data(), options_).customers.inserted, 1000U);

  rows[0].segment = "VIP2";
  rows[999].cluster = 7;
  rows[500].total_units += 1;
  const Sample changed(rows, {});
  options_.now_utc = "2024-03-02T00:00:00Z";
  EXPECT_EQ(export_sqlite(file_, changed.data(), options_).customers,
            (UpsertCounts{.inserted = 0, .updated = 3, .unchanged = 997}));
  const auto stored = test::sqlite_destination(file_)->dump("customer_segments");
  ASSERT_TRUE(stored.has_value());
  ASSERT_EQ(stored->size(), 1000U);
  EXPECT_EQ((*stored)[0][1], "VIP2");
  EXPECT_EQ((*stored)[500][2], "500.0001");
  EXPECT_EQ((*stored)[500].back(), "2024-03-02T00:00:00Z");
  EXPECT_EQ((*stored)[501].back(), "2024-03-01T12:00:00Z");
  EXPECT_EQ((*stored)[999][6], "7");
}

}  // namespace
}  // namespace salespipe::io::db_export
