#include "io/sql/warehouse_read.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cmath>
#include <optional>

#include "core/date.hpp"
#include "core/error.hpp"
#include "io/sql/sqlite_handle.hpp"
#include "io/sql/warehouse.hpp"

namespace salespipe::io::sql {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void bad_row(const fs::path& db, std::uint64_t row, std::string message) {
  throw Error(ErrorKind::Input, Location{db.string(), 0, 0},
              fmt::format("reviews row {}: {}", row, std::move(message)));
}

ReviewTable read_rows(const fs::path& db, Interner& products, Interner& customers) {
  // Read-only, so a stage run alone can never change the warehouse it reads.
  const detail::Connection connection(db, SQLITE_OPEN_READONLY);
  detail::require_application_id(connection, kWarehouseApplicationId, "warehouse");
  detail::Statement select(connection,
                           "SELECT product_id, customer_id, sentiment_score, review_date, "
                           "superseded, source_line FROM reviews ORDER BY rowid",
                           "cannot read the reviews table");
  ReviewTable reviews;
  std::uint64_t row = 0;
  while (select.step()) {
    ++row;
    const std::string_view product = select.column_text(0);
    const std::string_view customer = select.column_text(1);
    if (product.empty() || customer.empty()) {
      bad_row(db, row, "empty product_id or customer_id");
    }
    const double sentiment = select.column_double(2);
    if (select.column_is_null(2) || !std::isfinite(sentiment)) {
      bad_row(db, row, "sentiment_score is not a number");
    }
    const std::string_view date_text = select.column_text(3);
    const std::optional<Date> date = parse_iso_date(date_text);
    if (!date) {
      bad_row(db, row, fmt::format("review_date \"{}\" is not yyyy-mm-dd", date_text));
    }
    const std::int64_t superseded = select.column_int(4);
    if (select.column_is_null(4) || (superseded != 0 && superseded != 1)) {
      bad_row(db, row, "superseded is not 0 or 1");
    }
    const std::int64_t line = select.column_int(5);
    reviews.product.push_back(products.intern(product));
    reviews.customer.push_back(customers.intern(customer));
    reviews.sentiment.push_back(sentiment);
    reviews.review_date.push_back(*date);
    reviews.superseded.push_back(static_cast<std::uint8_t>(superseded));
    reviews.source_line.push_back(line > 0 ? static_cast<std::uint64_t>(line) : 0);
  }
  return reviews;
}

}  // namespace

ReviewTable read_reviews(const fs::path& db, Interner& products, Interner& customers) {
  std::error_code ec;
  if (!fs::is_regular_file(db, ec)) {
    throw Error(ErrorKind::Input, Location{db.string(), 0, 0},
                "no warehouse database here: run `salespipe etl` first");
  }
  try {
    return read_rows(db, products, customers);
  } catch (const Error& error) {
    // The connection helpers report SQLite failures as output errors (they were written for
    // writers); here the file is an input, and a bad input is exit 3, not 4.
    if (error.kind() != ErrorKind::Output) {
      throw;
    }
    throw Error(ErrorKind::Input, error.location(), error.message());
  }
}

}  // namespace salespipe::io::sql
