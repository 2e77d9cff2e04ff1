// The checks made before any database is touched: options and the shape of the data. Each
// refused export is run against a SQLite path that must still not exist afterwards.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "core/error.hpp"
#include "destinations.hpp"
#include "io/db_export/db_export.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::db_export {
namespace {
namespace fs = std::filesystem;
using test::Sample;

using salespipe::testing::error_of;

DbExportOptions valid_options() {
  DbExportOptions options;
  options.now_utc = "2024-03-01T12:00:00Z";
  return options;
}

TEST(DbExportTableName, AcceptsIdentifiers) {
  const std::string longest(63, 'x');
  const std::vector<std::string_view> names = {"customer_segments", "_private", "Customers2", "a",
                                               "pg_like",           longest};
  for (const std::string_view name : names) {
    EXPECT_TRUE(is_valid_table_name(name)) << name;
  }
}

TEST(DbExportTableName, RejectsAnythingElse) {
  const std::string too_long(64, 'x');
  const std::vector<std::string_view> names = {"",
                                               "1customers",
                                               "customer segments",
                                               "customers;drop",
                                               "a-b",
                                               "a\"b",
                                               "a.b",
                                               "sqlite_master",
                                               "SQLite_stat1",
                                               "caf\xc3\xa9",
                                               std::string_view("a\0b", 3),
                                               too_long};
  for (const std::string_view name : names) {
    EXPECT_FALSE(is_valid_table_name(name)) << name;
  }
}

TEST(DbExportOptions, DefaultsWithATimeAreValid) { EXPECT_NO_THROW(valid_options().validate()); }

TEST(DbExportOptions, BadSalesTableNameIsAUsageError) {
  DbExportOptions options = valid_options();
  options.sales_table = "9sales";
  const Error error = error_of([&] { options.validate(); });
  EXPECT_EQ(error.kind(), ErrorKind::Usage);
  EXPECT_EQ(error.message(),
            "bad sales table name \"9sales\": use 1 to 63 ASCII letters, digits and "
            "underscores, not starting with a digit or sqlite_");
}

TEST(DbExportOptions, TheTwoTablesMustDifferEvenInCase) {
  DbExportOptions options = valid_options();
  options.sales_table = "Customer_Segments";
  const Error error = error_of([&] { options.validate(); });
  EXPECT_EQ(error.kind(), ErrorKind::Usage);
  EXPECT_EQ(error.message(),
            "the customers and sales tables must differ (both are \"customer_segments\")");
  options.include_sales = false;  // then the sales table name does not matter
  EXPECT_NO_THROW(options.validate());
}

TEST(DbExportOptions, AcceptsIsoUtcTimes) {
  DbExportOptions options = valid_options();
  for (const char* now : {"2024-02-29T23:59:59Z", "2024-03-01T00:00:00.5Z",
                          "2024-03-01T12:00:00.123456Z", "0001-01-01T00:00:00Z"}) {
    options.now_utc = now;
    EXPECT_NO_THROW(options.validate()) << now;
  }
}

TEST(DbExportOptions, RejectsOtherTimes) {
  DbExportOptions options = valid_options();
  for (const char* now :
       {"", "2024-03-01", "2024-03-01 12:00:00Z", "2024-03-01T12:00:00",
        "2024-03-01T12:00:00+00:00", "2023-02-29T12:00:00Z", "2024-13-01T12:00:00Z",
        "2024-03-01T24:00:00Z", "2024-03-01T12:60:00Z", "2024-03-01T12:00:60Z",
        "2024-03-01T12:00:00.Z", "2024-03-01T12:00:00.1234567Z", "2024-3-01T12:00:00Z",
        "2024-03-01T12:00:0xZ"}) {
    options.now_utc = now;
    const Error error = error_of([&] { options.validate(); });
    EXPECT_EQ(error.kind(), ErrorKind::Usage) << now;
    EXPECT_EQ(error.message(), fmt::format("bad now_utc \"{}\": expected ISO-8601 UTC like "
                                           "2024-03-01T12:00:00Z",
                                           now));
  }
}

class DbExportChecks : public ::testing::Test {
 protected:
  /// The error export_sqlite throws; the database file must not have been created.
  Error refused(const ExportData& data) {
    Error error = error_of([&] { export_sqlite(file_, data, options_); });
    EXPECT_FALSE(fs::exists(file_)) << "the export touched the database";
    return error;
  }

  salespipe::testing::TempDir dir_;
  fs::path file_ = dir_ / "crm.sqlite";
  DbExportOptions options_ = valid_options();
};

TEST_F(DbExportChecks, MissingNowIsAUsageError) {
  options_.now_utc.clear();
  const Sample sample(test::three_customers(), test::four_sales());
  EXPECT_EQ(refused(sample.data()).kind(), ErrorKind::Usage);
}

TEST_F(DbExportChecks, SalesRequestedButNotGivenIsAnInternalError) {
  Sample sample(test::three_customers(), {});
  sample.data().sales = nullptr;
  const Error error = refused(sample.data());
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(error.message(), "database export: sales are to be exported but none were given");
}

TEST_F(DbExportChecks, SegmentsNotCoveringTheSalesCustomersIsAnInternalError) {
  Sample sample(test::three_customers(), test::four_sales());
  sample.data().segment_of_customer.pop_back();
  const Error error = refused(sample.data());
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(error.message(), "database export: 2 segments for 3 customers of the sales");
}

TEST_F(DbExportChecks, CustomerColumnsOfDifferentLengthsAreAnInternalError) {
  Sample sample(test::three_customers(), test::four_sales());
  sample.data().customers.cluster.pop_back();
  const Error error = refused(sample.data());
  EXPECT_EQ(error.kind(), ErrorKind::Internal);
  EXPECT_EQ(error.message(),
            "database export: the customer columns have different lengths (3 customer ids)");
}

TEST_F(DbExportChecks, NonFiniteAverageIsRefused) {
  auto customers = test::three_customers();
  customers[2].avg_transaction_value = std::nan("");
  const Sample sample(customers, test::four_sales());
  const Error error = refused(sample.data());
  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_EQ(error.message(),
            "customers: row 3: avg_transaction_value is not a finite number (nan)");
}

TEST_F(DbExportChecks, InfiniteSentimentIsRefused) {
  auto sales = test::four_sales();
  sales[3].sentiment = std::numeric_limits<double>::infinity();
  const Sample sample(test::three_customers(), sales);
  const Error error = refused(sample.data());
  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_EQ(error.message(), "sales: row 4: sentiment_score is not a finite number (inf)");
}

TEST_F(DbExportChecks, EmptySaleIdIsRefused) {
  auto sales = test::four_sales();
  sales[0].sale_id.clear();
  const Sample sample(test::three_customers(), sales);
  const Error error = refused(sample.data());
  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_EQ(error.message(), "sales: row 1: sale_id is empty");
}

TEST_F(DbExportChecks, LongDuplicateKeyIsCutInTheMessage) {
  const std::string long_id(100, 'K');
  auto customers = test::three_customers();
  customers[0].customer_id = long_id;
  customers[2].customer_id = long_id;
  const Sample sample(customers, {});
  options_.include_sales = false;
  const Error error = refused(sample.data());
  EXPECT_EQ(error.message(), "customers: rows 1 and 3 have the same customer_id \"" +
                                 std::string(64, 'K') +
                                 "...\" (100 bytes); duplicate keys are refused before anything "
                                 "is sent");
}

TEST_F(DbExportChecks, NulByteIsFineForSqlite) {
  auto customers = test::three_customers();
  customers[0].segment = std::string("V\0IP", 4);
  const Sample sample(customers, {});
  options_.include_sales = false;
  EXPECT_EQ(export_sqlite(file_, sample.data(), options_).customers.inserted, 3U);
  const auto rows = test::sqlite_destination(file_)->dump("customer_segments");
  ASSERT_TRUE(rows.has_value());
  EXPECT_EQ((*rows)[0][1], std::string("V\0IP", 4));
}

}  // namespace
}  // namespace salespipe::io::db_export
