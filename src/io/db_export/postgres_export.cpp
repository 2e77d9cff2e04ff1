// export_postgres (libpqxx 6.4): COPY every row into a TEMP staging table, then one
// INSERT ... ON CONFLICT DO UPDATE per table, all in one transaction.

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <exception>
#include <memory>
#include <pqxx/pqxx>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "io/db_export/db_export.hpp"
#include "io/db_export/schema.hpp"

namespace salespipe::io::db_export {
using detail::ColumnSpec;
using detail::ColumnType;
using detail::quote;

namespace {

const char* postgres_type(ColumnType type) noexcept {
  switch (type) {
    case ColumnType::Text:
      return "TEXT";
    case ColumnType::Money:
      return "NUMERIC(20,4)";
    case ColumnType::BigInt:
      return "BIGINT";
    case ColumnType::Integer:
      return "INTEGER";
    case ColumnType::Double:
      return "DOUBLE PRECISION";
    case ColumnType::Date:
      return "DATE";
  }
  return "TEXT";
}

// libpq and server messages span lines ("ERROR:  ...", "LINE 1: <sql>", a caret line, DETAIL,
// HINT, tab-indented continuations). One line reads better inside our own message, and the
// echoed SQL with its caret says nothing to a user.
std::string one_line(std::string_view message) {
  std::string out;
  bool skip_caret = false;
  while (!message.empty()) {
    const std::size_t end = message.find('\n');
    std::string_view line = message.substr(0, end);
    message = end == std::string_view::npos ? std::string_view{} : message.substr(end + 1);
    if (skip_caret) {
      skip_caret = false;
      if (line.find_first_not_of(" \t^") == std::string_view::npos) {
        continue;
      }
    }
    if (line.starts_with("LINE ")) {
      skip_caret = true;
      continue;
    }
    if (out.empty() && line.starts_with("ERROR:")) {
      line.remove_prefix(6);
    }
    const std::size_t first = line.find_first_not_of(" \t");
    const std::size_t last = line.find_last_not_of(" \t\r");
    if (first == std::string_view::npos) {
      continue;
    }
    if (!out.empty()) {
      out += ' ';
    }
    out.append(line.substr(first, last - first + 1));
  }
  return out;
}

[[noreturn]] void fail(std::string_view action, std::string_view message) {
  throw Error(ErrorKind::Output, fmt::format("PostgreSQL: {}: {}", action, one_line(message)));
}

/// Runs `work`, turning libpqxx's exceptions into Error{Output} "PostgreSQL: <action>: ...".
template <class Work>
auto step(std::string_view action, const Work& work) {
  try {
    return work();
  } catch (const Error&) {
    throw;
  } catch (const pqxx::in_doubt_error& e) {
    fail(action, fmt::format("the connection was lost during COMMIT, so whether the export was "
                             "applied is unknown: {}",
                             e.what()));
  } catch (const std::exception& e) {
    fail(action, e.what());
  }
}

std::string column_list(std::span<const ColumnSpec> columns, std::string_view prefix = {}) {
  std::string out;
  for (const ColumnSpec& column : columns) {
    if (!out.empty()) {
      out += ", ";
    }
    out += prefix;
    out += quote(column.name);
  }
  return out;
}

std::string create_table_sql(std::string_view table, std::span<const ColumnSpec> columns) {
  std::string sql = fmt::format("CREATE TABLE IF NOT EXISTS {} (", quote(table));
  for (const ColumnSpec& column : columns) {
    sql += fmt::format("{} {}{}, ", quote(column.name), postgres_type(column.type),
                       column.nullable ? "" : " NOT NULL");
  }
  sql += fmt::format("{} TIMESTAMPTZ NOT NULL, PRIMARY KEY ({}))", quote(detail::kUpdatedAt),
                     quote(columns[0].name));
  return sql;
}

std::string create_stage_sql(std::string_view stage, std::span<const ColumnSpec> columns) {
  std::string sql = fmt::format("CREATE TEMP TABLE {} (", quote(stage));
  for (const ColumnSpec& column : columns) {
    sql += fmt::format("{} {}, ", quote(column.name), postgres_type(column.type));
  }
  sql.resize(sql.size() - 2);
  sql += ") ON COMMIT DROP";
  return sql;
}

// Inserts new keys and updates only rows whose values differ (IS DISTINCT FROM treats two NULLs
// as equal), so updated_at moves only for those.
// The join drops unchanged rows before the INSERT: ON CONFLICT DO UPDATE locks every conflicting
// row even when its WHERE is false, and a row lock is a write. Measured on 1M unchanged
// customers, the plain upsert took 4.2-5.7 s and the filtered one 1.4-2.0 s. The ON CONFLICT
// WHERE stays for rows another session changes meanwhile.
// RETURNING sees only inserted and updated rows; xmax is 0 exactly for a freshly inserted tuple,
// since an updated one carries the row lock ON CONFLICT took. The counts come back as one row.
std::string upsert_sql(std::string_view table, std::string_view stage,
                       std::span<const ColumnSpec> columns) {
  std::string set;
  for (const ColumnSpec& column : columns.subspan(1)) {
    const std::string name = quote(column.name);
    set += fmt::format("{} = EXCLUDED.{}, ", name, name);
  }
  const std::string updated_at = quote(detail::kUpdatedAt);
  set += fmt::format("{} = EXCLUDED.{}", updated_at, updated_at);
  const auto values = columns.subspan(1);
  const std::string key = quote(columns[0].name);
  return fmt::format(
      "WITH upserted AS (INSERT INTO {0} AS target ({1}, {2}) "
      "SELECT {3}, $1::timestamptz FROM pg_temp.{4} AS stage "
      "LEFT JOIN {0} AS existing ON existing.{5} = stage.{5} "
      "WHERE existing.{5} IS NULL OR ({6}) IS DISTINCT FROM ({7}) "
      "ON CONFLICT ({5}) DO UPDATE SET {8} "
      "WHERE ({9}) IS DISTINCT FROM ({10}) "
      "RETURNING (target.xmax = 0) AS inserted) "
      "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
      "FROM upserted",
      quote(table), column_list(columns), updated_at, column_list(columns, "stage."), quote(stage),
      key, column_list(values, "existing."), column_list(values, "stage."), set,
      column_list(values, "target."), column_list(values, "EXCLUDED."));
}

/// Formats one row's cells for COPY: each value NUL-terminated in one buffer, a null pointer for
/// SQL NULL (pqxx::stream_to escapes the text and writes \N for a null pointer).
template <std::size_t Width>
class CopyRowSink {
 public:
  void start() {
    buffer_.clear();
    count_ = 0;
  }
  void text(std::string_view value) {
    add([&] { buffer_.append(value); });
  }
  void money(Money value) {
    add([&] { detail::append_money_exact(buffer_, value); });
  }
  void integer(std::int64_t value) {
    add([&] { detail::append_int(buffer_, value); });
  }
  void real(double value) {
    add([&] { detail::append_double(buffer_, value); });
  }
  void date(Date value) {
    add([&] { append_date(buffer_, value); });
  }
  void null() { offsets_[count_++] = kNull; }

  /// The cells as C strings; valid until the next start().
  const std::array<const char*, Width>& fields() {
    for (std::size_t i = 0; i < Width; ++i) {
      fields_[i] = offsets_[i] == kNull ? nullptr : buffer_.c_str() + offsets_[i];
    }
    return fields_;
  }

 private:
  static constexpr std::size_t kNull = static_cast<std::size_t>(-1);

  template <class Append>
  void add(const Append& append) {
    // Offsets, not pointers: the buffer may move while the row grows.
    offsets_[count_++] = buffer_.size();
    append();
    buffer_.push_back('\0');
  }

  std::string buffer_;
  std::array<std::size_t, Width> offsets_{};
  std::array<const char*, Width> fields_{};
  std::size_t count_ = 0;
};

/// Creates `table` if missing, COPYs `rows` rows from visit(row, sink) into a TEMP table, and
/// upserts them, inside the caller's transaction.
template <std::size_t Width, class Visit>
UpsertCounts upsert_table(pqxx::work& tx, std::string_view table, std::string_view stage,
                          const std::array<ColumnSpec, Width>& columns, std::size_t rows,
                          const std::string& now_utc, const Visit& visit) {
  step(fmt::format("cannot create table {}", table),
       [&] { tx.exec0(create_table_sql(table, columns)); });
  step("cannot create the staging table", [&] { tx.exec0(create_stage_sql(stage, columns)); });
  step(fmt::format("cannot copy the rows of {}", table), [&] {
    pqxx::stream_to copy(tx, std::string(stage));
    CopyRowSink<Width> sink;
    for (std::size_t row = 0; row < rows; ++row) {
      sink.start();
      visit(row, sink);
      copy << sink.fields();
    }
    copy.complete();
  });
  const auto [inserted, updated] = step(fmt::format("cannot upsert into table {}", table), [&] {
    const pqxx::row counts = tx.exec_params1(upsert_sql(table, stage, columns), now_utc);
    return std::pair{counts[0].as<std::uint64_t>(), counts[1].as<std::uint64_t>()};
  });
  if (inserted + updated > rows) {
    throw Error(ErrorKind::Internal,
                fmt::format("PostgreSQL: upsert into {} reports {} inserted and {} updated rows "
                            "of {}",
                            table, inserted, updated, rows));
  }
  return UpsertCounts{
      .inserted = inserted, .updated = updated, .unchanged = rows - inserted - updated};
}

}  // namespace

DbExportResult export_postgres(const std::string& dsn, const ExportData& data,
                               const DbExportOptions& options) {
  detail::check_export(data, options, true);

  auto connection = step("cannot connect", [&] { return std::make_unique<pqxx::connection>(dsn); });
  // The transaction's destructor rolls back unless commit() ran: every early exit, the test
  // hook's included, leaves the destination as it was.
  auto tx =
      step("cannot start a transaction", [&] { return std::make_unique<pqxx::work>(*connection); });

  DbExportResult result;
  const ExportCustomers& customers = data.customers;
  result.customers = upsert_table(
      *tx, options.customers_table, "salespipe_stage_customers", detail::kCustomerColumns,
      customers.size(), options.now_utc,
      [&](std::size_t row, auto& sink) { detail::visit_customer(customers, row, sink); });
  if (options.include_sales) {
    result.sales =
        upsert_table(*tx, options.sales_table, "salespipe_stage_sales", detail::kSalesColumns,
                     data.sales->size(), options.now_utc,
                     [&](std::size_t row, auto& sink) { detail::visit_sale(data, row, sink); });
  }
  if (options.fail_before_commit_for_testing) {
    fail("cannot commit", "failure injected before COMMIT (test hook)");
  }
  step("cannot commit", [&] { tx->commit(); });
  return result;
}

}  // namespace salespipe::io::db_export
