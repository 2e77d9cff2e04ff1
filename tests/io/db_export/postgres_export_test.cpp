// What only the PostgreSQL destination does: its column types, connection failures and what its
// messages leave out. Needs the test server (see scripts/pg-test-server.sh).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>

#include "core/error.hpp"
#include "destinations.hpp"
#include "io/db_export/db_export.hpp"
#include "testing/testing.hpp"

namespace salespipe::io::db_export {
namespace {
using test::Rows;
using test::Sample;

using salespipe::testing::error_of;

class PostgresExport : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.now_utc = "2024-03-01T12:00:00Z";
    options_.customers_table = test::table_for_this_test("customers");
    options_.sales_table = test::table_for_this_test("sales");
    dsn_ = test::test_postgres_dsn();
    SALESPIPE_REQUIRE_POSTGRES(dsn_);
    destination_ = test::postgres_destination(*dsn_);
    destination_->execute("DROP TABLE IF EXISTS \"" + options_.customers_table + "\", \"" +
                          options_.sales_table + "\", \"" + shape_ + "\"");
  }

  std::string shape_ = test::table_for_this_test("shape");
  std::optional<std::string> dsn_;
  std::unique_ptr<test::Destination> destination_;
  DbExportOptions options_;
  Sample sample_{test::three_customers(), test::four_sales()};
};

TEST_F(PostgresExport, ColumnsHaveTheDocumentedTypesAndKeys) {
  export_postgres(*dsn_, sample_.data(), options_);
  const std::string shape =
      "SELECT c.table_name || '.' || c.column_name, c.data_type, c.numeric_precision, "
      "c.numeric_scale, c.is_nullable, (k.column_name IS NOT NULL) AS key "
      "FROM information_schema.columns AS c "
      "LEFT JOIN information_schema.table_constraints AS t ON t.table_name = c.table_name "
      "  AND t.constraint_type = 'PRIMARY KEY' "
      "LEFT JOIN information_schema.key_column_usage AS k "
      "  ON k.constraint_name = t.constraint_name AND k.column_name = c.column_name "
      "WHERE c.table_name = '" +
      options_.customers_table + "'";
  destination_->execute("CREATE TABLE " + shape_ + " AS " + shape);
  const std::string t = options_.customers_table + ".";
  const test::Cell null = std::nullopt;
  EXPECT_EQ(destination_->dump(shape_),
            (Rows{{t + "avg_transaction_value", "double precision", "53", null, "NO", "f"},
                  {t + "cluster", "integer", "32", "0", "NO", "f"},
                  {t + "customer_id", "text", null, null, "NO", "t"},
                  {t + "purchase_frequency", "bigint", "64", "0", "NO", "f"},
                  {t + "recency_days", "bigint", "64", "0", "NO", "f"},
                  {t + "segment", "text", null, null, "NO", "f"},
                  {t + "total_purchase_amount", "numeric", "20", "4", "NO", "f"},
                  {t + "updated_at", "timestamp with time zone", null, null, "NO", "f"}}));
}

TEST_F(PostgresExport, SalesColumnsHaveTheDocumentedTypes) {
  export_postgres(*dsn_, sample_.data(), options_);
  destination_->execute("CREATE TABLE " + shape_ +
                        " AS SELECT column_name, data_type, is_nullable "
                        "FROM information_schema.columns WHERE table_name = '" +
                        options_.sales_table + "'");
  EXPECT_EQ(destination_->dump(shape_), (Rows{{"customer_id", "text", "NO"},
                                              {"product_id", "text", "NO"},
                                              {"quantity", "bigint", "NO"},
                                              {"review_date", "date", "YES"},
                                              {"sale_date", "date", "NO"},
                                              {"sale_id", "text", "NO"},
                                              {"sale_price", "numeric", "NO"},
                                              {"segment", "text", "NO"},
                                              {"sentiment_score", "double precision", "YES"},
                                              {"total_revenue", "numeric", "NO"},
                                              {"updated_at", "timestamp with time zone", "NO"}}));
}

TEST_F(PostgresExport, ClosedPortIsAnOutputErrorWithLibpqsMessage) {
  const test::ClosedPort closed;
  const std::string dsn = fmt::format("postgresql://postgres@127.0.0.1:{}/crm", closed.port());
  const Error error = error_of([&] { export_postgres(dsn, sample_.data(), options_); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_TRUE(error.message().starts_with("PostgreSQL: cannot connect: ")) << error.message();
  EXPECT_NE(error.message().find("Connection refused"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find(std::to_string(closed.port())), std::string::npos)
      << error.message();
  EXPECT_EQ(error.message().find('\n'), std::string::npos) << error.message();
}

TEST_F(PostgresExport, PasswordInTheDsnIsNeverEchoed) {
  const test::ClosedPort closed;
  const std::string dsn =
      fmt::format("postgresql://postgres:s3cret-pw@127.0.0.1:{}/crm", closed.port());
  const Error error = error_of([&] { export_postgres(dsn, sample_.data(), options_); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_EQ(std::string(error.what()).find("s3cret-pw"), std::string::npos) << error.what();
}

TEST_F(PostgresExport, UnknownDatabaseIsAnOutputErrorWithTheServersMessage) {
  const std::string dsn = dsn_->substr(0, dsn_->rfind('/')) + "/salespipe_no_such_db";
  const Error error = error_of([&] { export_postgres(dsn, sample_.data(), options_); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_TRUE(error.message().starts_with("PostgreSQL: cannot connect: ")) << error.message();
  EXPECT_NE(error.message().find("database \"salespipe_no_such_db\" does not exist"),
            std::string::npos)
      << error.message();
}

TEST_F(PostgresExport, MalformedDsnIsAnOutputError) {
  const Error error =
      error_of([&] { export_postgres("host=127.0.0.1 port=", sample_.data(), options_); });
  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_TRUE(error.message().starts_with("PostgreSQL: cannot connect: ")) << error.message();
}

TEST_F(PostgresExport, RefusedDataNeverReachesTheServer) {
  // A closed port: had anything been sent, the error would be the connection's (Output).
  const test::ClosedPort closed;
  const std::string dsn = fmt::format("postgresql://postgres@127.0.0.1:{}/crm", closed.port());
  auto duplicated = test::three_customers();
  duplicated.push_back(duplicated[0]);
  const Sample sample(duplicated, test::four_sales());
  EXPECT_EQ(error_of([&] { export_postgres(dsn, sample.data(), options_); }).kind(),
            ErrorKind::Input);
  options_.sales_table = "sales;drop";
  EXPECT_EQ(error_of([&] { export_postgres(dsn, sample_.data(), options_); }).kind(),
            ErrorKind::Usage);
}

TEST_F(PostgresExport, NulByteInTextIsRefused) {
  auto customers = test::three_customers();
  customers[0].segment = std::string("V\0IP", 4);
  const Sample sample(customers, {});
  options_.include_sales = false;
  const Error error = error_of([&] { export_postgres(*dsn_, sample.data(), options_); });
  EXPECT_EQ(error.kind(), ErrorKind::Input);
  EXPECT_EQ(error.message(),
            "customers: row 1: segment contains a NUL byte, which PostgreSQL text cannot hold");
  EXPECT_EQ(destination_->dump(options_.customers_table), std::nullopt);
}

TEST_F(PostgresExport, ValueTheServerRejectsRollsBackTheCustomersToo) {
  // A constraint added by the destination's owner refuses the changed sale S1 (quantity 3).
  // Customers are upserted first, so theirs must be undone with it.
  export_postgres(*dsn_, sample_.data(), options_);
  const auto before = destination_->dump(options_.customers_table);
  destination_->execute("ALTER TABLE \"" + options_.sales_table +
                        "\" ADD CONSTRAINT quantity_below_3 CHECK (quantity < 3) NOT VALID");
  auto changed = test::three_customers();
  changed[0].segment = "Regular";
  const Sample sample(changed, test::four_sales());
  options_.now_utc = "2024-03-02T00:00:00Z";

  const Error error = error_of([&] { export_postgres(*dsn_, sample.data(), options_); });

  EXPECT_EQ(error.kind(), ErrorKind::Output);
  EXPECT_TRUE(error.message().starts_with("PostgreSQL: cannot upsert into table " +
                                          options_.sales_table + ": "))
      << error.message();
  EXPECT_NE(error.message().find("quantity_below_3"), std::string::npos) << error.message();
  EXPECT_EQ(destination_->dump(options_.customers_table), before);
}

}  // namespace
}  // namespace salespipe::io::db_export
