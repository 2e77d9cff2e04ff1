#pragma once

#include <cstdint>
#include <vector>

#include "core/clean_tables.hpp"
#include "core/reason.hpp"
#include "core/tables.hpp"

namespace salespipe::transform {

/// What the transform did, for the accounting and the data-quality report.
struct TransformReport {
  std::uint64_t exact_duplicates = 0;    ///< later copies of a loaded sale, dropped
  std::uint64_t duplicate_sale_ids = 0;  ///< later sales reusing a loaded sale_id with other values
  std::uint64_t excluded_no_review = 0;  ///< only with require_feedback
  std::uint64_t sales_without_review = 0;
  std::uint64_t latest_reviews = 0;
  std::uint64_t superseded_reviews = 0;
  std::uint64_t reviews_without_sale =
      0;  ///< latest reviews whose (product, customer) has no loaded sale
};

struct TransformOptions {
  bool require_feedback = false;  ///< drop sales without a review, as the original lab did
};

struct Transformed {
  SalesTable sales;
  ReviewTable reviews;
  TransformReport report;
};

/// Drops exact duplicate sales (DESIGN.md section 3, "Duplicates"), rejects later sales that reuse
/// a loaded sale_id with other values (appended to rejects as duplicate_sale_id), marks the latest
/// review per (product, customer) (ties: the later record in the file), left-joins the sales with
/// the latest reviews and derives total_revenue = sale_price × quantity.
/// `source` names the sales file in the rejects.
Transformed transform(CleanSales&& sales, CleanReviews&& reviews, const Interner& products,
                      const Interner& customers, const std::string& sales_source,
                      const TransformOptions& options, std::vector<Reject>& rejects);

}  // namespace salespipe::transform
