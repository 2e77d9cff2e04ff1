#pragma once

// The derived SQLite warehouse, data_warehouse/warehouse.sqlite (DESIGN.md sections 4, 10, 11.3).
//
// Schema (every etl rebuilds the whole file; the pipeline adds customer_segments and top_products
// with replace_table()). Money is kept twice: `<name>_units` INTEGER holds the exact amount in
// 1/10000 units (sum these for exact totals: SUM(total_revenue_units) / 10000.0), and `<name>`
// REAL holds the two-decimal value the CSV prints (rounded half away from zero), as the nearest
// double, for people writing quick queries. Dates are TEXT `yyyy-mm-dd`, so they sort and compare
// as dates. Text is UTF-8. No STRICT tables, so any SQLite 3 can read the file.
//
//   processed_sales      one row per loaded sale, in the order of processed_sales_data.csv
//     sale_id             TEXT NOT NULL, unique (transform guarantees it; indexed only with
//                                           WarehouseOptions::index_sale_id)
//     product_id          TEXT NOT NULL
//     customer_id         TEXT NOT NULL
//     sale_price          REAL NOT NULL     two decimals, as in the CSV
//     sale_price_units    INTEGER NOT NULL  exact, 1/10000 units
//     quantity            INTEGER NOT NULL
//     sale_date           TEXT NOT NULL     yyyy-mm-dd
//     total_revenue       REAL NOT NULL     two decimals
//     total_revenue_units INTEGER NOT NULL  exact: sale_price_units × quantity
//     sentiment_score     REAL              NULL when the sale has no review
//     review_date         TEXT              NULL when the sale has no review
//     source_line         INTEGER NOT NULL  line of the record in the sales input
//     <extra columns>     TEXT NOT NULL     one per extra input column, in input order; an empty
//                                           cell is '' (the CSV cannot tell empty from missing)
//   extra_columns        how extra input columns were named in processed_sales
//     position            INTEGER NOT NULL  1-based, in input order
//     input_name          TEXT NOT NULL     the header as read
//     column_name         TEXT NOT NULL     the column in processed_sales
//   reviews              every valid review, in input order
//     product_id, customer_id TEXT NOT NULL
//     sentiment_score     REAL NOT NULL
//     review_date         TEXT NOT NULL     yyyy-mm-dd
//     superseded          INTEGER NOT NULL  1 when a later review of the same pair exists, else 0
//     source_line         INTEGER NOT NULL
//   rejects              the rows of rejects.csv, in the order given (source, then line)
//     source TEXT, line INTEGER, "column" TEXT, raw_value TEXT, reason TEXT, message TEXT
//   customer_segments    empty until segmentation adds it: customer_segments_columns()
//   top_products         empty until analysis adds it: top_products_columns()
//
// Extra column names: an extra column keeps its input name unless that name is empty or equals
// (ignoring ASCII case, as SQLite does) one of the fixed columns above, `rowid`, `oid`, `_rowid_`
// or an earlier extra column's final name. Then it becomes `extra_<name>` (`extra_<position>` for
// an empty name), followed by `_2`, `_3`, ... until it is free. A NUL byte in a name becomes '_'.
// extra_columns records every mapping. At most 1988 extra columns fit (SQLite's 2000 limit).
//
// The file carries PRAGMA application_id 0x53505748 ("SPWH") and user_version 1.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/reason.hpp"
#include "core/tables.hpp"

namespace salespipe::io::sql {

/// PRAGMA application_id of warehouse.sqlite ("SPWH").
inline constexpr std::int64_t kWarehouseApplicationId = 0x53505748;
/// PRAGMA user_version of the schema this code writes.
inline constexpr std::int64_t kWarehouseSchemaVersion = 1;

struct WarehouseOptions {
  /// Adds the unique index processed_sales_sale_id on processed_sales(sale_id), for fast lookups
  /// by id. Off by default: per million sales it costs about 0.4 s to build and 1.5 s more in
  /// PRAGMA integrity_check (which then probes the index once per row), tripling the write time.
  bool index_sale_id = false;
};

/// Builds the warehouse in a new file at `temp_path`, which must not exist (it is created
/// exclusively, so two writers cannot share it), and `temp_path` + ".reviews" beside it, where a
/// second thread builds the reviews and rejects; those are copied in whole and the side file is
/// removed. Uses journal_mode=OFF, synchronous=OFF and prepared statements; then runs PRAGMA
/// integrity_check, closes the file and fsyncs it. On return the file is complete and durable; the
/// caller renames it into place (and fsyncs the folder). Safe to call from any thread: it shares
/// nothing with other calls. Throws Error{Output} naming the file and SQLite's message on any
/// failure, after removing the file it created (a file that already existed is left alone); throws
/// Error{Internal} when the tables are inconsistent (column lengths differ, an id code outside its
/// dictionary).
void write_warehouse(const std::filesystem::path& temp_path, const SalesTable& sales,
                     const ReviewTable& reviews, const std::vector<Reject>& rejects,
                     const WarehouseOptions& options = {});

/// The SQL names processed_sales gives to extra input columns `names` (the rule is in the
/// comment at the top of this header).
std::vector<std::string> extra_column_names(const std::vector<std::string>& names);

/// A column of a table added by replace_table().
struct Column {
  enum class Type { Integer, Real, Text };
  std::string name;
  Type type = Type::Text;
};

/// One cell: NULL, an integer, a real or text. The text is borrowed: it must stay valid until
/// the row source is called again.
using Value = std::variant<std::monostate, std::int64_t, double, std::string_view>;

/// Fills `row` (already sized to the column count, holding the previous row's values) with the
/// next row and returns true, or returns false when there are no more rows.
using RowSource = std::function<bool(std::vector<Value>& row)>;

/// Replaces table `name` of the existing warehouse at `db` with `columns` and the rows
/// `next_row` streams, in one transaction with a rollback journal and synchronous=FULL, so a
/// failure or a crash leaves the old table. An Integer value is accepted in a Real column.
/// Throws Error{Output} when the file cannot be opened or written or is not a salespipe warehouse,
/// Error{Internal} when there are no columns, a row changes its size or a value does not fit its
/// column's type; anything the row source throws is passed on. In every case the file is as before.
void replace_table(const std::filesystem::path& db, std::string_view name,
                   const std::vector<Column>& columns, const RowSource& next_row);

/// The columns of customer_segments (one row per customer, DESIGN.md section 6):
/// customer_id TEXT, total_purchase_amount REAL, total_purchase_amount_units INTEGER,
/// purchase_frequency INTEGER, avg_transaction_value REAL, recency_days INTEGER,
/// cluster INTEGER, segment TEXT. write_warehouse() creates the table empty with them.
const std::vector<Column>& customer_segments_columns();

/// The columns of top_products (DESIGN.md section 5): period TEXT, rank INTEGER,
/// product_id TEXT, revenue REAL, revenue_units INTEGER, revenue_share REAL, units INTEGER,
/// orders INTEGER, distinct_customers INTEGER, avg_sentiment REAL, review_count INTEGER,
/// previous_revenue REAL, revenue_change REAL. write_warehouse() creates the table empty with them.
const std::vector<Column>& top_products_columns();

}  // namespace salespipe::io::sql
