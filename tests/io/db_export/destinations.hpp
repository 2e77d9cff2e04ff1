#pragma once

// Test support for the database exports: export data built from literal rows, and each
// destination read back whole through its own client library, so tests compare tables.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/export_tables.hpp"
#include "io/db_export/db_export.hpp"

namespace salespipe::io::db_export::test {

struct CustomerRow {
  std::string customer_id;
  std::string segment;
  std::int64_t total_units;  ///< Money units (1/10000)
  std::int64_t purchase_frequency;
  double avg_transaction_value;
  std::int64_t recency_days;
  std::int32_t cluster;
};

struct SaleRow {
  std::string sale_id;
  std::string product_id;
  std::string customer_id;  ///< its segment is the one of the CustomerRow with this id
  std::int64_t price_units;
  std::int64_t quantity;
  std::string sale_date;  ///< yyyy-mm-dd
  std::int64_t revenue_units;
  std::optional<double> sentiment;  ///< nullopt: no review
  std::string review_date;          ///< yyyy-mm-dd when sentiment is set
};

/// Owns the sales table ExportData points to; neither copied nor moved for that reason.
class Sample {
 public:
  Sample(const std::vector<CustomerRow>& customers, const std::vector<SaleRow>& sales);
  Sample(const Sample&) = delete;
  Sample& operator=(const Sample&) = delete;

  const ExportData& data() const noexcept { return data_; }
  ExportData& data() noexcept { return data_; }

 private:
  SalesTable sales_;
  ExportData data_;
};

/// Three customers (C001 VIP, C002 and C003 Regular) with values chosen to print alike in both
/// databases, one of them 0.1 + 0.2 (a double that needs 17 digits).
std::vector<CustomerRow> three_customers();
/// Four sales of those customers; S2 has no review.
std::vector<SaleRow> four_sales();

/// A cell as text (the database's own text for it), nullopt for SQL NULL.
using Cell = std::optional<std::string>;
using Rows = std::vector<std::vector<Cell>>;

/// A database the tests export to and read back.
class Destination {
 public:
  virtual ~Destination() = default;
  virtual DbExportResult run(const ExportData& data, const DbExportOptions& options) const = 0;
  /// Every row of `table` ordered by its first column, or nullopt when the table does not exist.
  /// Doubles print as their shortest round-trip text, money as stored, updated_at as
  /// yyyy-mm-ddThh:mm:ssZ in both databases.
  virtual std::optional<Rows> dump(std::string_view table) const = 0;
  /// Runs SQL that returns no rows (setting up a table of another shape).
  virtual void execute(const std::string& sql) const = 0;
};

std::unique_ptr<Destination> sqlite_destination(std::filesystem::path file);
/// Null when this build has no PostgreSQL support.
std::unique_ptr<Destination> postgres_destination(std::string dsn);

/// The DSN of the test server: $SALESPIPE_TEST_PG_DSN, else the first line of the file named by
/// $SALESPIPE_TEST_PG_DSN_FILE (which ctest sets after starting scripts/pg-test-server.sh), else
/// nullopt.
std::optional<std::string> test_postgres_dsn();
std::string postgres_missing_message();

/// A TCP port on 127.0.0.1 that refuses connections while this object lives: bound by us and
/// never listened on, so no other process can take it meanwhile.
class ClosedPort {
 public:
  ClosedPort();
  ~ClosedPort();
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;
  int port() const noexcept { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

/// Table names unique to the running test (PostgreSQL tests share one database and may run in
/// parallel): "<test name>_<suffix>", made a valid identifier.
std::string table_for_this_test(std::string_view suffix);

}  // namespace salespipe::io::db_export::test

/// Skips the current test (fails it when CI=true) when there is no test PostgreSQL server.
#define SALESPIPE_REQUIRE_POSTGRES(dsn)                                             \
  do {                                                                              \
    if (!(dsn)) {                                                                   \
      if (::salespipe::testing::running_in_ci()) {                                  \
        FAIL() << ::salespipe::io::db_export::test::postgres_missing_message();     \
      }                                                                             \
      GTEST_SKIP() << ::salespipe::io::db_export::test::postgres_missing_message(); \
    }                                                                               \
  } while (false)
