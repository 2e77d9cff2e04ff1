#pragma once

// Test helpers: small SalesTable/ReviewTable builders, and reading SQLite files back through
// SQLite's C API, independently of the code under test.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "core/tables.hpp"

namespace salespipe::io::sql::test_db {

struct Null {
  friend bool operator==(Null, Null) = default;
};

/// One value as SQLite stored it: the alternative tells the storage class.
using Cell = std::variant<Null, std::int64_t, double, std::string>;
using Rows = std::vector<std::vector<Cell>>;

std::ostream& operator<<(std::ostream& out, const Cell& cell);

/// Runs `sql` on the file at `path` (opened read-write, never created) and returns every row;
/// fails the test on any SQLite error.
Rows query(const std::filesystem::path& path, const std::string& sql);

/// Runs statements that return nothing (setting up a test); fails the test on error.
void execute(const std::filesystem::path& path, const std::string& sql);

/// Shorthands for expected cells.
inline Cell text(std::string value) { return Cell{std::move(value)}; }
inline Cell integer(std::int64_t value) { return Cell{value}; }
inline Cell real(double value) { return Cell{value}; }
inline Cell null() { return Cell{Null{}}; }

/// One sale as a test writes it; ids are interned in first-seen order.
struct Sale {
  std::string sale_id{};
  std::string product{};
  std::string customer{};
  std::int64_t price_units = 0;
  std::int64_t quantity = 1;
  std::string date{};                 ///< yyyy-mm-dd
  std::optional<double> sentiment{};  ///< set with review_date when the sale has a review
  std::string review_date{};          ///< yyyy-mm-dd
  std::uint64_t line = 0;
  std::vector<std::string> extras{};  ///< one per extra column
};

/// One review; its ids must name products and customers of the sales.
struct Review {
  std::string product{};
  std::string customer{};
  double sentiment = 0;
  std::string date{};
  bool superseded = false;
  std::uint64_t line = 0;
};

/// A SalesTable with total_revenue = price × quantity. Extra products/customers (only reviewed,
/// never sold) are interned after those of the sales.
SalesTable make_sales(const std::vector<std::string>& extra_names, const std::vector<Sale>& sales,
                      const std::vector<std::string>& more_products = {},
                      const std::vector<std::string>& more_customers = {});

/// A ReviewTable whose codes point into `sales`' dictionaries.
ReviewTable make_reviews(const SalesTable& sales, const std::vector<Review>& reviews);

}  // namespace salespipe::io::sql::test_db
