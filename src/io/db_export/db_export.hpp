#pragma once

// Reverse ETL into a database (DESIGN.md sections 7 and 11.6): the segmented customers, and the
// enriched sales, upserted by key into a SQLite file or a PostgreSQL server.
//
// Tables (created if missing; names set by the options, quoted in every statement):
//   customers (default customer_segments)          PRIMARY KEY (customer_id)
//     customer_id            TEXT NOT NULL
//     segment                TEXT NOT NULL
//     total_purchase_amount  NUMERIC(20,4) NOT NULL   exact, from Money's 1/10000 units
//     purchase_frequency     BIGINT NOT NULL
//     avg_transaction_value  DOUBLE PRECISION NOT NULL
//     recency_days           BIGINT NOT NULL
//     cluster                INTEGER NOT NULL
//     updated_at             TIMESTAMPTZ NOT NULL     when the row's values last changed
//   sales (default sales_enriched)                 PRIMARY KEY (sale_id)
//     sale_id                TEXT NOT NULL
//     product_id, customer_id TEXT NOT NULL
//     sale_price             NUMERIC(20,4) NOT NULL
//     quantity               BIGINT NOT NULL
//     sale_date              DATE NOT NULL
//     total_revenue          NUMERIC(20,4) NOT NULL
//     sentiment_score        DOUBLE PRECISION         NULL when the sale has no review
//     review_date            DATE                     NULL when the sale has no review
//     segment                TEXT NOT NULL            the customer's segment
//     updated_at             TIMESTAMPTZ NOT NULL
// Extra input columns of the sales are not exported: the table keeps one fixed shape, so a
// later run with other extra columns still upserts into it.
//
// SQLite has no NUMERIC(20,4), DATE or TIMESTAMPTZ: money is TEXT with exactly four decimals
// ("150.5000", what PostgreSQL prints for NUMERIC(20,4); SQLite's NUMERIC affinity would turn
// it into a binary float), dates are TEXT yyyy-mm-dd, updated_at TEXT as given in now_utc.
//
// Every run works in one transaction: the rows go to a temporary staging table (COPY on
// PostgreSQL), then one INSERT ... ON CONFLICT DO UPDATE per table updates only the rows whose
// values differ, so updated_at moves only for those. Any failure rolls back everything.

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/export_tables.hpp"

namespace salespipe::io::db_export {

/// What an export writes and how it stamps changed rows.
struct DbExportOptions {
  std::string customers_table = "customer_segments";  ///< --table
  std::string sales_table = "sales_enriched";
  bool include_sales = true;  ///< also upsert ExportData::sales (which must then be set)
  /// ISO-8601 UTC, yyyy-mm-ddThh:mm:ss[.f up to 6 digits]Z, from the caller (the library has no
  /// clock): the updated_at of inserted and changed rows.
  std::string now_utc;
  /// Test hook only: throw Error{Output} after every row is staged and upserted, just before
  /// COMMIT, so tests can prove that a failure leaves the destination as it was.
  bool fail_before_commit_for_testing = false;

  /// Throws Error{Usage} for a bad table name (see is_valid_table_name), the same name for both
  /// tables when sales are included, or a now_utc not in the format above.
  void validate() const;
};

/// Rows of one table, by what the upsert did to them.
struct UpsertCounts {
  std::uint64_t inserted = 0;
  std::uint64_t updated = 0;    ///< existed with other values: updated_at moved
  std::uint64_t unchanged = 0;  ///< existed with the same values: not touched

  friend bool operator==(const UpsertCounts&, const UpsertCounts&) = default;
};

/// What an export did, per table (sales all zero when not included).
struct DbExportResult {
  UpsertCounts customers;
  UpsertCounts sales;

  friend bool operator==(const DbExportResult&, const DbExportResult&) = default;
};

/// True for 1 to 63 bytes of ASCII letters, digits and underscores, not starting with a digit
/// (63: PostgreSQL would silently cut a longer name) and not starting with "sqlite_" in any case
/// (SQLite reserves those names).
bool is_valid_table_name(std::string_view name) noexcept;

/// Upserts into the SQLite file `db` (created if missing) and returns the counts. Throws
/// Error{Usage} for bad options; Error{Input} before opening the file for data that cannot be
/// sent (an empty or duplicate key, which names both rows; a non-finite double); Error{Internal}
/// when include_sales is set without sales or the segments do not cover the sales' customers;
/// Error{Output} "<db>: <what failed>: <SQLite's message>" for anything the database refuses
/// (busy, not a database, a table of another shape), with nothing applied.
DbExportResult export_sqlite(const std::filesystem::path& db, const ExportData& data,
                             const DbExportOptions& options);

/// Upserts into the PostgreSQL database named by the libpq connection string or URI `dsn`
/// (--dsn) and returns the counts. Throws as export_sqlite, except that Error{Output} reads
/// "PostgreSQL: <what failed>: <the server's or libpq's message>" (connection refused, failed
/// authentication, SQL errors); the DSN is never echoed since it may hold a password. Nothing is
/// applied unless everything is. Throws Error{Usage} when built without PostgreSQL support.
DbExportResult export_postgres(const std::string& dsn, const ExportData& data,
                               const DbExportOptions& options);

}  // namespace salespipe::io::db_export
