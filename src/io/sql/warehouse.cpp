#include "io/sql/warehouse.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <unordered_set>

#include "core/background_job.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "io/sql/sqlite_handle.hpp"

namespace salespipe::io::sql {
namespace fs = std::filesystem;
using detail::Connection;
using detail::quote_identifier;
using detail::Statement;
using detail::Transaction;

namespace {

// Measured with warehouse_bench.cpp on 1M sales: 64 KiB pages take about 8% less CPU than the
// default 4 KiB. The cache size hardly matters for the table alone (8 MiB and 64 MiB alike), but
// with index_sale_id a cache too small for the index makes integrity_check five times slower.
constexpr int kPageSize = 65536;
constexpr int kCacheKiB = 64 * 1024;
// The file of reviews and rejects beside it has no index to keep in cache.
constexpr int kSideCacheKiB = 8 * 1024;

constexpr std::string_view kFixedSalesColumns[] = {
    "sale_id",     "product_id", "customer_id",   "sale_price",          "sale_price_units",
    "quantity",    "sale_date",  "total_revenue", "total_revenue_units", "sentiment_score",
    "review_date", "source_line"};
constexpr int kFixedSalesColumnCount = 12;
// Names SQLite resolves to the rowid unless a column takes them.
constexpr std::string_view kRowidNames[] = {"rowid", "oid", "_rowid_"};

[[noreturn]] void internal(std::string message) {
  throw Error(ErrorKind::Internal, "write_warehouse: " + std::move(message));
}

[[noreturn]] void output(const fs::path& path, std::string message) {
  throw Error(ErrorKind::Output, Location{path.string(), 0, 0}, std::move(message));
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// The CSV's two-decimal value (half away from zero, as append_money) as the nearest double:
// cents / 100.0 is one correctly rounded division of two exact integers below 2^53.
double two_decimals(Money amount) noexcept {
  const bool negative = amount.units < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(amount.units)
                                           : static_cast<std::uint64_t>(amount.units);
  const std::uint64_t cents = magnitude / 100 + (magnitude % 100 >= 50 ? 1 : 0);
  if (cents == 0) {
    return 0.0;
  }
  const double value = static_cast<double>(cents) / 100.0;
  return negative ? -value : value;
}

const char* type_name(Column::Type type) noexcept {
  switch (type) {
    case Column::Type::Integer:
      return "INTEGER";
    case Column::Type::Real:
      return "REAL";
    case Column::Type::Text:
      return "TEXT";
  }
  return "TEXT";
}

std::string create_table_sql(std::string_view name, const std::vector<Column>& columns) {
  std::string sql = "CREATE TABLE " + quote_identifier(name) + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) {
      sql += ", ";
    }
    sql += quote_identifier(columns[i].name);
    sql += ' ';
    sql += type_name(columns[i].type);
  }
  sql += ')';
  return sql;
}

/// INSERT INTO name VALUES (?, ?, ...), ... with `rows` groups of `column_count` parameters.
std::string insert_sql(std::string_view name, std::size_t column_count, std::size_t rows = 1) {
  std::string sql = "INSERT INTO " + quote_identifier(name) + " VALUES ";
  for (std::size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (std::size_t i = 0; i < column_count; ++i) {
      sql += i == 0 ? "?" : ", ?";
    }
    sql += ')';
  }
  return sql;
}

int parameter(std::size_t index) { return static_cast<int>(index) + 1; }

/// How many rows one INSERT statement of `column_count` columns carries. Each statement run has a
/// fixed cost (cursor, journal and statement setup); 64 rows per statement cut the CPU time of
/// the processed_sales load by a third against one row (warehouse_bench.cpp, 1M sales), and 256
/// gained nothing more. SQLite's limit on parameters caps it for very wide tables.
std::size_t batch_rows(const Connection& db, std::size_t column_count) {
  constexpr std::size_t kBatchRows = 64;
  const int limit = sqlite3_limit(db.get(), SQLITE_LIMIT_VARIABLE_NUMBER, -1);
  const std::size_t fit = static_cast<std::size_t>(limit > 0 ? limit : 1) / column_count;
  return std::clamp<std::size_t>(fit, 1, kBatchRows);
}

/// Inserts `rows` rows of `column_count` values into `table`, `batch` rows per statement.
/// bind_row(statement, first, row, slot) binds row `row` to parameters first, first + 1, ...;
/// `slot` (below `batch`) picks per-row buffers that must live until the statement has run.
template <typename BindRow>
void insert_rows(const Connection& db, std::string_view table, std::size_t column_count,
                 std::size_t rows, std::size_t batch, const BindRow& bind_row) {
  const std::string action = fmt::format("cannot write table {}", table);
  std::size_t row = 0;
  if (rows >= batch) {
    Statement insert(db, insert_sql(table, column_count, batch), action, true);
    for (; rows - row >= batch; row += batch) {
      for (std::size_t slot = 0; slot < batch; ++slot) {
        bind_row(insert, parameter(slot * column_count), row + slot, slot);
      }
      insert.run();
    }
  }
  if (row < rows) {
    Statement tail(db, insert_sql(table, column_count, rows - row), action);
    for (std::size_t slot = 0; row + slot < rows; ++slot) {
      bind_row(tail, parameter(slot * column_count), row + slot, slot);
    }
    tail.run();
  }
}

/// Creates the file exclusively, so an existing file (or a second writer) is never overwritten.
void create_new_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    output(path, "cannot create the warehouse: " +
                     std::error_code(errno, std::system_category()).message());
  }
  ::close(fd);
}

/// synchronous=OFF leaves the data in the page cache; the rename that follows must not reach the
/// disk before it does (DESIGN.md section 11.4).
void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const std::string reason = std::error_code(errno, std::system_category()).message();
    if (fd >= 0) {
      ::close(fd);
    }
    output(path, "cannot sync the warehouse to disk: " + reason);
  }
  ::close(fd);
}

/// Removes the file it guards unless disarmed: a failed build leaves nothing behind.
class RemoveOnFailure {
 public:
  explicit RemoveOnFailure(fs::path path) : path_(std::move(path)) {}
  ~RemoveOnFailure() {
    if (armed_) {
      std::error_code ignored;
      fs::remove(path_, ignored);
    }
  }
  RemoveOnFailure(const RemoveOnFailure&) = delete;
  RemoveOnFailure& operator=(const RemoveOnFailure&) = delete;
  void disarm() noexcept { armed_ = false; }

 private:
  fs::path path_;
  bool armed_ = true;
};

void check_sizes(const SalesTable& sales, const ReviewTable& reviews) {
  const std::size_t rows = sales.size();
  const std::size_t sizes[] = {sales.sale_id.size(),     sales.customer.size(),
                               sales.sale_price.size(),  sales.quantity.size(),
                               sales.sale_date.size(),   sales.total_revenue.size(),
                               sales.has_review.size(),  sales.sentiment.size(),
                               sales.review_date.size(), sales.source_line.size()};
  for (const std::size_t size : sizes) {
    if (size != rows) {
      internal(fmt::format("sales columns differ in length ({} and {})", rows, size));
    }
  }
  if (sales.extra.names.size() != sales.extra.values.size()) {
    internal(fmt::format("{} extra column names for {} extra columns", sales.extra.names.size(),
                         sales.extra.values.size()));
  }
  for (std::size_t c = 0; c < sales.extra.values.size(); ++c) {
    if (sales.extra.values[c].size() != rows) {
      internal(fmt::format("extra column {} has {} values for {} sales", sales.extra.names[c],
                           sales.extra.values[c].size(), rows));
    }
  }
  const std::size_t review_rows = reviews.size();
  const std::size_t review_sizes[] = {reviews.customer.size(), reviews.sentiment.size(),
                                      reviews.review_date.size(), reviews.superseded.size(),
                                      reviews.source_line.size()};
  for (const std::size_t size : review_sizes) {
    if (size != review_rows) {
      internal(fmt::format("review columns differ in length ({} and {})", review_rows, size));
    }
  }
}

void check_code(std::uint32_t code, const Dictionary& dictionary, std::string_view what,
                std::size_t row) {
  if (code >= dictionary.size()) {
    internal(fmt::format("{} row {} has {} code {}, the dictionary has {}", what, row, what, code,
                         dictionary.size()));
  }
}

void write_sales(const Connection& db, const SalesTable& sales,
                 const std::vector<std::string>& extra_names, bool index_sale_id) {
  const Column::Type fixed_types[kFixedSalesColumnCount] = {
      Column::Type::Text,    Column::Type::Text,    Column::Type::Text, Column::Type::Real,
      Column::Type::Integer, Column::Type::Integer, Column::Type::Text, Column::Type::Real,
      Column::Type::Integer, Column::Type::Real,    Column::Type::Text, Column::Type::Integer};
  std::string sql = "CREATE TABLE processed_sales (";
  for (int i = 0; i < kFixedSalesColumnCount; ++i) {
    sql += fmt::format(
        "{}{} {}{}", i == 0 ? "" : ", ", kFixedSalesColumns[i], type_name(fixed_types[i]),
        kFixedSalesColumns[i] == "sentiment_score" || kFixedSalesColumns[i] == "review_date"
            ? ""
            : " NOT NULL");
  }
  for (const std::string& name : extra_names) {
    sql += ", " + quote_identifier(name) + " TEXT NOT NULL";
  }
  sql += ')';
  db.exec(sql, "cannot create table processed_sales");

  const std::size_t extras = extra_names.size();
  const std::size_t columns = kFixedSalesColumnCount + extras;
  const std::size_t batch = batch_rows(db, columns);
  // One pair of date buffers per row of a statement; after the first statement no bind allocates.
  std::vector<std::string> sale_dates(batch);
  std::vector<std::string> review_dates(batch);
  insert_rows(db, "processed_sales", columns, sales.size(), batch,
              [&](Statement& insert, int first, std::size_t row, std::size_t slot) {
                const std::uint32_t product = sales.product[row];
                const std::uint32_t customer = sales.customer[row];
                check_code(product, sales.products, "product", row);
                check_code(customer, sales.customers, "customer", row);
                std::string& sale_date = sale_dates[slot];
                sale_date.clear();
                append_date(sale_date, sales.sale_date[row]);

                insert.bind_text(first, sales.sale_id[row]);
                insert.bind_text(first + 1, sales.products.name(product));
                insert.bind_text(first + 2, sales.customers.name(customer));
                insert.bind_double(first + 3, two_decimals(sales.sale_price[row]));
                insert.bind_int(first + 4, sales.sale_price[row].units);
                insert.bind_int(first + 5, sales.quantity[row]);
                insert.bind_text(first + 6, sale_date);
                insert.bind_double(first + 7, two_decimals(sales.total_revenue[row]));
                insert.bind_int(first + 8, sales.total_revenue[row].units);
                if (sales.has_review[row] != 0) {
                  std::string& review_date = review_dates[slot];
                  review_date.clear();
                  append_date(review_date, sales.review_date[row]);
                  insert.bind_double(first + 9, sales.sentiment[row]);
                  insert.bind_text(first + 10, review_date);
                } else {
                  insert.bind_null(first + 9);
                  insert.bind_null(first + 10);
                }
                insert.bind_int(first + 11, static_cast<std::int64_t>(sales.source_line[row]));
                for (std::size_t c = 0; c < extras; ++c) {
                  insert.bind_text(first + kFixedSalesColumnCount + static_cast<int>(c),
                                   sales.extra.values[c][row]);
                }
              });
  if (index_sale_id) {
    // One sort after the load is far cheaper than keeping a unique index ordered row by row.
    db.exec("CREATE UNIQUE INDEX processed_sales_sale_id ON processed_sales (sale_id)",
            "cannot index processed_sales by sale_id");
  }
}

void write_extra_columns(const Connection& db, const ExtraColumns& extra,
                         const std::vector<std::string>& extra_names) {
  db.exec(
      "CREATE TABLE extra_columns (position INTEGER NOT NULL, input_name TEXT NOT NULL, "
      "column_name TEXT NOT NULL)",
      "cannot create table extra_columns");
  Statement insert(db, "INSERT INTO extra_columns VALUES (?, ?, ?)",
                   "cannot write table extra_columns");
  for (std::size_t c = 0; c < extra.names.size(); ++c) {
    insert.bind_int(1, static_cast<std::int64_t>(c + 1));
    insert.bind_text(2, extra.names[c]);
    insert.bind_text(3, extra_names[c]);
    insert.run();
  }
}

constexpr const char* kCreateReviews =
    "CREATE TABLE reviews (product_id TEXT NOT NULL, customer_id TEXT NOT NULL, "
    "sentiment_score REAL NOT NULL, review_date TEXT NOT NULL, superseded INTEGER NOT NULL, "
    "source_line INTEGER NOT NULL)";
constexpr const char* kCreateRejects =
    "CREATE TABLE rejects (source TEXT NOT NULL, line INTEGER NOT NULL, \"column\" TEXT NOT "
    "NULL, raw_value TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL)";

void write_reviews(const Connection& db, const ReviewTable& reviews, const SalesTable& sales) {
  db.exec(kCreateReviews, "cannot create table reviews");
  constexpr std::size_t kColumns = 6;
  const std::size_t batch = batch_rows(db, kColumns);
  std::vector<std::string> review_dates(batch);
  insert_rows(db, "reviews", kColumns, reviews.size(), batch,
              [&](Statement& insert, int first, std::size_t row, std::size_t slot) {
                const std::uint32_t product = reviews.product[row];
                const std::uint32_t customer = reviews.customer[row];
                check_code(product, sales.products, "review product", row);
                check_code(customer, sales.customers, "review customer", row);
                std::string& review_date = review_dates[slot];
                review_date.clear();
                append_date(review_date, reviews.review_date[row]);
                insert.bind_text(first, sales.products.name(product));
                insert.bind_text(first + 1, sales.customers.name(customer));
                insert.bind_double(first + 2, reviews.sentiment[row]);
                insert.bind_text(first + 3, review_date);
                insert.bind_int(first + 4, reviews.superseded[row] != 0 ? 1 : 0);
                insert.bind_int(first + 5, static_cast<std::int64_t>(reviews.source_line[row]));
              });
}

void write_rejects(const Connection& db, const std::vector<Reject>& rejects) {
  db.exec(kCreateRejects, "cannot create table rejects");
  constexpr std::size_t kColumns = 6;
  insert_rows(db, "rejects", kColumns, rejects.size(), batch_rows(db, kColumns),
              [&](Statement& insert, int first, std::size_t row, std::size_t) {
                const Reject& reject = rejects[row];
                insert.bind_text(first, reject.source);
                insert.bind_int(first + 1, static_cast<std::int64_t>(reject.line));
                insert.bind_text(first + 2, reject.column);
                insert.bind_text(first + 3, reject.raw_value);
                insert.bind_text(first + 4, reason_name(reject.reason));
                insert.bind_text(first + 5, reject.message);
              });
}

void check_integrity(const Connection& db) {
  Statement check(db, "PRAGMA integrity_check", "cannot check the warehouse");
  if (!check.step()) {
    output(db.path(), "integrity check returned nothing");
  }
  const std::string_view verdict = check.column_text(0);
  if (verdict != "ok") {
    output(db.path(), fmt::format("integrity check failed: {}", verdict));
  }
}

/// Binds one replace_table() cell, refusing a value its column's type cannot hold.
void bind_cell(Statement& insert, int index, const Value& value, const Column& column,
               std::string_view table, std::uint64_t row_number) {
  const Column::Type type = column.type;
  if (std::holds_alternative<std::monostate>(value)) {
    insert.bind_null(index);
    return;
  }
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    if (type == Column::Type::Integer) {
      insert.bind_int(index, *integer);
      return;
    }
    if (type == Column::Type::Real) {
      insert.bind_double(index, static_cast<double>(*integer));
      return;
    }
  } else if (const auto* real = std::get_if<double>(&value)) {
    if (type == Column::Type::Real) {
      insert.bind_double(index, *real);
      return;
    }
  } else if (const auto* text = std::get_if<std::string_view>(&value)) {
    if (type == Column::Type::Text) {
      insert.bind_text(index, *text);
      return;
    }
  }
  constexpr const char* kValueKinds[] = {"null", "integer", "real", "text"};
  throw Error(ErrorKind::Internal,
              fmt::format("replace_table: row {} of {}, column {} is {} but got {}", row_number,
                          table, column.name, type_name(type), kValueKinds[value.index()]));
}

/// Opens a new, empty file for building tables in: no journal and no syncs (a failure or crash
/// only ever loses a temp file, renamed into place only once complete). page_size must be set
/// before the first table exists.
Connection open_build_file(const fs::path& path, int cache_kib) {
  // NOMUTEX: a connection here never leaves the thread that opened it.
  Connection db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
  db.exec(fmt::format("PRAGMA page_size = {}; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                      " PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -{}",
                      kPageSize, cache_kib),
          "cannot configure the warehouse");
  return db;
}

}  // namespace

std::vector<std::string> extra_column_names(const std::vector<std::string>& names) {
  std::unordered_set<std::string> taken;
  for (const std::string_view fixed : kFixedSalesColumns) {
    taken.emplace(fixed);
  }
  for (const std::string_view rowid : kRowidNames) {
    taken.emplace(rowid);
  }
  std::vector<std::string> result;
  result.reserve(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string name = names[i];
    for (char& c : name) {
      if (c == '\0') {
        c = '_';
      }
    }
    if (name.empty() || taken.contains(ascii_lower(name))) {
      const std::string base =
          name.empty() ? fmt::format("extra_{}", i + 1) : fmt::format("extra_{}", name);
      name = base;
      for (int suffix = 2; taken.contains(ascii_lower(name)); ++suffix) {
        name = fmt::format("{}_{}", base, suffix);
      }
    }
    taken.insert(ascii_lower(name));
    result.push_back(std::move(name));
  }
  return result;
}

void write_warehouse(const fs::path& temp_path, const SalesTable& sales, const ReviewTable& reviews,
                     const std::vector<Reject>& rejects, const WarehouseOptions& options) {
  check_sizes(sales, reviews);
  const std::vector<std::string> extra_names = extra_column_names(sales.extra.names);

  // The reviews and rejects are built in a second file on another core while this thread writes
  // the sales, then copied in whole: an INSERT ... SELECT * between tables of the same definition
  // moves SQLite's records without decoding them (its transfer optimisation), several times
  // faster than binding every value again.
  const fs::path side_path = fs::path(temp_path) += ".reviews";
  // Created exclusively, so an existing file (or a second writer) is never overwritten. The
  // cleanups are declared before the connections so the files are removed after those close;
  // the side file goes in every case once its tables are copied.
  create_new_file(temp_path);
  RemoveOnFailure cleanup(temp_path);
  create_new_file(side_path);
  RemoveOnFailure side_cleanup(side_path);
  BackgroundJob side_writer;
  side_writer.start([&] {
    Connection side = open_build_file(side_path, kSideCacheKiB);
    Transaction transaction(side, true);
    write_reviews(side, reviews, sales);
    write_rejects(side, rejects);
    transaction.commit();
    side.close();
  });

  Connection db = open_build_file(temp_path, kCacheKiB);
  {
    Transaction transaction(db, true);
    db.exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {}",
                        kWarehouseApplicationId, kWarehouseSchemaVersion),
            "cannot write the warehouse header");
    write_sales(db, sales, extra_names, options.index_sale_id);
    write_extra_columns(db, sales.extra, extra_names);
    // Created here, filled from the side file below: the tables keep their order in the schema.
    db.exec(kCreateReviews, "cannot create table reviews");
    db.exec(kCreateRejects, "cannot create table rejects");
    db.exec(create_table_sql("customer_segments", customer_segments_columns()),
            "cannot create table customer_segments");
    db.exec(create_table_sql("top_products", top_products_columns()),
            "cannot create table top_products");
    transaction.commit();
  }
  side_writer.wait();
  // ATTACH is not allowed inside a transaction, so the copy is a second one.
  {
    Statement attach(db, "ATTACH DATABASE ?1 AS side",
                     "cannot open the reviews built beside the warehouse");
    const std::string side_name = side_path.string();
    attach.bind_text(1, side_name);
    attach.run();
  }
  {
    Transaction transaction(db, true);
    db.exec("INSERT INTO main.reviews SELECT * FROM side.reviews", "cannot write table reviews");
    db.exec("INSERT INTO main.rejects SELECT * FROM side.rejects", "cannot write table rejects");
    transaction.commit();
  }
  db.exec("DETACH DATABASE side", "cannot close the reviews built beside the warehouse");
  std::error_code ignored;
  fs::remove(side_path, ignored);
  check_integrity(db);
  db.close();
  sync_file(temp_path);
  cleanup.disarm();
}

void replace_table(const fs::path& db_path, std::string_view name,
                   const std::vector<Column>& columns, const RowSource& next_row) {
  if (columns.empty()) {
    throw Error(ErrorKind::Internal,
                fmt::format("replace_table: table {} needs at least one column", name));
  }
  Connection db(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
  // The warehouse may already be in place: a journal and full syncs make the swap atomic, and
  // the busy timeout waits for a reader (a user's sqlite3 shell) instead of failing at once.
  db.exec("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL",
          "cannot configure the warehouse");
  detail::require_application_id(db, kWarehouseApplicationId, "warehouse");

  const std::string table = quote_identifier(name);
  const std::string action = fmt::format("cannot write table {}", name);
  Transaction transaction(db, true);
  db.exec("DROP TABLE IF EXISTS " + table, fmt::format("cannot drop table {}", name));
  db.exec(create_table_sql(name, columns), fmt::format("cannot create table {}", name));
  {
    Statement insert(db, insert_sql(name, columns.size()), action, true);

    std::vector<Value> row(columns.size());
    std::uint64_t row_number = 0;
    while (next_row(row)) {
      ++row_number;
      if (row.size() != columns.size()) {
        throw Error(ErrorKind::Internal,
                    fmt::format("replace_table: row {} of {} has {} values for {} columns",
                                row_number, name, row.size(), columns.size()));
      }
      for (std::size_t c = 0; c < columns.size(); ++c) {
        bind_cell(insert, parameter(c), row[c], columns[c], name, row_number);
      }
      insert.run();
    }
  }
  transaction.commit();
  db.close();
}

const std::vector<Column>& customer_segments_columns() {
  static const std::vector<Column> columns = {
      {"customer_id", Column::Type::Text},
      {"total_purchase_amount", Column::Type::Real},
      {"total_purchase_amount_units", Column::Type::Integer},
      {"purchase_frequency", Column::Type::Integer},
      {"avg_transaction_value", Column::Type::Real},
      {"recency_days", Column::Type::Integer},
      {"cluster", Column::Type::Integer},
      {"segment", Column::Type::Text}};
  return columns;
}

const std::vector<Column>& top_products_columns() {
  static const std::vector<Column> columns = {{"period", Column::Type::Text},
                                              {"rank", Column::Type::Integer},
                                              {"product_id", Column::Type::Text},
                                              {"revenue", Column::Type::Real},
                                              {"revenue_units", Column::Type::Integer},
                                              {"revenue_share", Column::Type::Real},
                                              {"units", Column::Type::Integer},
                                              {"orders", Column::Type::Integer},
                                              {"distinct_customers", Column::Type::Integer},
                                              {"avg_sentiment", Column::Type::Real},
                                              {"review_count", Column::Type::Integer},
                                              {"previous_revenue", Column::Type::Real},
                                              {"revenue_change", Column::Type::Real}};
  return columns;
}

}  // namespace salespipe::io::sql
