#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyze/period.hpp"
#include "core/money.hpp"
#include "core/tables.hpp"

namespace salespipe::analyze {

/// A product's revenue against the previous period.
struct RevenueChange {
  Money previous_revenue;  ///< zero when the product sold nothing then
  Money delta;             ///< revenue - previous_revenue
  /// delta / previous_revenue × 100; absent when previous_revenue is zero (the product is new).
  std::optional<double> percent;

  bool is_new() const noexcept { return previous_revenue.units == 0; }
};

/// One ranked product of a period.
struct ProductRow {
  std::size_t rank = 0;       ///< 1-based
  std::uint32_t product = 0;  ///< code into SalesTable::products
  std::string product_id;
  Money revenue;
  double share = 0;             ///< revenue / period revenue, 0 to 1
  std::int64_t units = 0;       ///< sum of quantity
  std::uint64_t orders = 0;     ///< number of sales
  std::uint64_t customers = 0;  ///< distinct customers who bought it in the period
  /// The unweighted mean of the latest review of each customer for the product, whatever the
  /// review's date and whether that customer bought (DESIGN.md section 5); absent without reviews.
  std::optional<double> avg_sentiment;
  std::uint64_t review_count = 0;  ///< the latest reviews averaged in avg_sentiment
  /// The original lab's figure: the mean sentiment over the period's sales of the product that
  /// joined a review, so each review counts once per purchase. Absent when none did.
  std::optional<double> lab_weighted_sentiment;
  /// Absent when there is no previous period or no loaded sale is dated in it.
  std::optional<RevenueChange> change;
};

/// The top products of a period and the totals the report and the insights need.
struct TopProducts {
  Period period;
  std::optional<Period> previous;  ///< absent for all time
  /// Loaded sales dated in the previous period; when zero the data does not reach back that far,
  /// so no product gets a change (it would otherwise look "new").
  std::uint64_t previous_sales = 0;
  Money previous_revenue;  ///< revenue of every product in the previous period
  SaleDateRange data;      ///< first and last loaded sale date, whatever the period
  std::size_t top_n = 0;   ///< as asked; rows may be fewer
  Money period_revenue;
  std::uint64_t period_sales = 0;
  std::uint64_t period_sales_without_review = 0;
  std::size_t products_sold = 0;  ///< distinct products with a sale in the period
  std::vector<ProductRow> rows;   ///< by revenue, descending, ties by product_id as text
  /// The unweighted mean over every latest review of every product; absent without reviews.
  std::optional<double> all_product_avg_sentiment;
  std::uint64_t all_product_review_count = 0;
  /// The lab's weighting over all products: the mean sentiment of the period's sales that joined
  /// a review. Absent when none did.
  std::optional<double> lab_weighted_avg_sentiment;
};

/// The top_n products by revenue over the loaded sales dated in period (sales without a review
/// count), with their sentiment from the latest reviews and their change against the previous
/// period. Arrays indexed by product code, one pass over the sales. Throws Error{Input} when no
/// sale is dated in period or a revenue sum overflows, Error{Usage} when top_n is 0 and
/// Error{Internal} when a product or customer code is outside the sales table's dictionaries.
TopProducts top_products(const SalesTable& sales, const ReviewTable& reviews, const Period& period,
                         std::size_t top_n);

/// The content of reports/top_products.csv: the header
/// `rank,product_id,revenue,share,units,orders,customers,avg_sentiment,review_count,`
/// `previous_revenue,change,change_pct`, then one line per row, LF line ends. Money has two
/// decimals; share is a fraction with 4 decimals; avg_sentiment has 4 decimals; change_pct is a
/// percentage with 2 decimals, or `new` when the previous revenue is zero. Absent values are empty
/// cells. The same table always gives the same bytes.
std::string top_products_csv(const TopProducts& top);

}  // namespace salespipe::analyze
