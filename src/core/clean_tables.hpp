#pragma once

#include <cstdint>
#include <vector>

#include "core/interner.hpp"
#include "core/tables.hpp"

namespace salespipe {

/// Valid sales records in file order, before duplicates are dropped. Dates are resolved.
struct CleanSales {
  /// Each distinct sale_id once, in first-seen order (the interner's lookup table is gone: only
  /// the names are needed after cleaning).
  StringColumn sale_ids;
  std::vector<std::uint32_t> sale_id;   ///< code into sale_ids
  std::vector<std::uint32_t> product;   ///< code into the shared product interner
  std::vector<std::uint32_t> customer;  ///< code into the shared customer interner
  std::vector<Money> sale_price;
  std::vector<std::int64_t> quantity;
  std::vector<Date> sale_date;
  std::vector<std::uint64_t> line;
  ExtraColumns extra;

  std::size_t size() const noexcept { return line.size(); }
};

/// Valid reviews in file order.
struct CleanReviews {
  std::vector<std::uint32_t> product;
  std::vector<std::uint32_t> customer;
  std::vector<double> sentiment;
  std::vector<Date> review_date;
  std::vector<std::uint64_t> line;

  std::size_t size() const noexcept { return line.size(); }
};

}  // namespace salespipe
