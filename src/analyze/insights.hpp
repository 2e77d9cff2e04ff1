#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/period.hpp"
#include "analyze/top_products.hpp"
#include "core/money.hpp"
#include "core/tables.hpp"

namespace salespipe::analyze {

/// Default thresholds of the insight rules (DESIGN.md section 5). Each rule states its numbers
/// only when they cross its threshold, so the report stays short and every sentence matters.
///
/// The top product's avg_sentiment must be more than this many points (on the 1-5 scale) below
/// the all-product average: smaller gaps are within what one or two reviews move.
inline constexpr double kSentimentGapPoints = 0.1;
/// A top product's revenue must have fallen by more than this fraction of its previous-period
/// revenue: smaller moves are ordinary noise between quarters.
inline constexpr double kRevenueFallFraction = 0.10;
/// The top product's share of period revenue above which revenue is called concentrated.
inline constexpr double kConcentrationShare = 0.35;
/// The VIP customers' share of period revenue from which the report recommends looking after
/// them (the VIP insight itself is stated whenever a segmentation exists).
inline constexpr double kVipDependenceShare = 0.50;
/// The share of period sales without a review above which the review coverage is reported.
inline constexpr double kMissingReviewShare = 0.15;

/// The thresholds the rules use; the defaults are the constants above.
struct InsightThresholds {
  double sentiment_gap_points = kSentimentGapPoints;
  double revenue_fall_fraction = kRevenueFallFraction;
  double concentration_share = kConcentrationShare;
  double vip_dependence_share = kVipDependenceShare;
  double missing_review_share = kMissingReviewShare;

  /// Throws Error{Usage} naming a threshold that is not a number in its range (the sentiment gap
  /// 0 to 4 points, the others 0 to 1).
  void validate() const;
};

/// What the VIP customers bought in a period.
struct VipRevenue {
  std::uint64_t vip_customers = 0;         ///< customers flagged VIP, whether they bought or not
  std::uint64_t period_customers = 0;      ///< distinct customers with a sale in the period
  std::uint64_t period_vip_customers = 0;  ///< of those, the VIPs
  Money vip_revenue;                       ///< the VIPs' revenue in the period
  Money period_revenue;                    ///< everybody's revenue in the period
};

/// The VIP customers' part of the period's sales. is_vip[c] != 0 flags customer code c; codes at
/// or past is_vip.size() are not VIPs (customers known only from reviews may be left out).
/// Throws Error{Internal} when is_vip is longer than the customer dictionary or a code is outside
/// it, Error{Input} when a revenue sum overflows.
VipRevenue vip_revenue(const SalesTable& sales, const Period& period,
                       std::span<const std::uint8_t> is_vip);

/// Optional inputs of the rules.
struct InsightInputs {
  std::optional<VipRevenue> vip;  ///< present when a segmentation exists
  InsightThresholds thresholds;
};

/// One number an insight rests on: a name, the value, and the value as the sentence shows it.
struct InsightNumber {
  std::string name;
  double value = 0;
  std::string text;
};

/// A rule that fired: a sentence a business reader can act on, with its numbers.
struct Insight {
  /// Which rule: top_sentiment_below_average, revenue_fell, concentration, vip_share or
  /// missing_reviews.
  std::string id;
  std::string product_id;  ///< the product it is about, empty when it is about no one product
  std::string sentence;
  std::vector<InsightNumber> numbers;
  std::string recommendation;  ///< what to do about it; empty when nothing needs doing
};

/// The insights whose conditions hold, in a fixed order: the top product's sentiment below the
/// all-product average; each top product whose revenue fell against the previous period (by
/// rank); concentration of revenue in the top product; the VIP customers' share of revenue (only
/// with inputs.vip); the share of period sales without a review. Throws Error{Usage} for bad
/// thresholds.
std::vector<Insight> insights(const TopProducts& top, const InsightInputs& inputs = {});

/// The non-empty recommendations of the insights, in their order.
std::vector<std::string> recommendations(const std::vector<Insight>& fired);

}  // namespace salespipe::analyze
