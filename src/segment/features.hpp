#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/date.hpp"
#include "core/money.hpp"

namespace salespipe::segment {

/// One row per customer with at least one loaded sale, by ascending customer code.
struct CustomerFeatures {
  std::vector<std::uint32_t> customer;           ///< customer code (into the dictionary)
  std::vector<Money> total_purchase_amount;      ///< exact sum of the sales' revenue
  std::vector<std::int64_t> purchase_frequency;  ///< number of sales
  std::vector<double> avg_transaction_value;     ///< total / frequency, in currency units
  std::vector<std::int64_t> recency_days;        ///< as_of - latest sale date, in days

  /// The number of customers.
  std::size_t size() const noexcept { return customer.size(); }
};

/// Per-customer features of the loaded sales (DESIGN.md section 6), from the columns of the
/// sales table: customer[i], revenue[i] and sale_date[i] describe sale i, customer codes are
/// below customer_count, and as_of is the date recency is counted from (the latest sale date
/// of the data). Customers without a sale are left out.
/// Throws Error(Internal) when the spans differ in length or a code is not below
/// customer_count (a caller bug); Error(Input) when a customer's total overflows Money or a
/// sale is dated after as_of.
CustomerFeatures compute_features(std::span<const std::uint32_t> customer,
                                  std::span<const Money> revenue, std::span<const Date> sale_date,
                                  std::size_t customer_count, Date as_of);

/// The rows of features listed in rows, in that order (for example sorted by customer id, the
/// order of the original lab's pandas groupby: K-Means' draws pick row positions, so the row
/// order can change which local optimum is found). Throws Error(Internal) on a row out of
/// range.
CustomerFeatures select_rows(const CustomerFeatures& features, std::span<const std::size_t> rows);

}  // namespace salespipe::segment
