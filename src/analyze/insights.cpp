#include "analyze/insights.hpp"

#include <fmt/format.h>

#include "analyze/format.hpp"
#include "core/error.hpp"

namespace salespipe::analyze {
namespace {

InsightNumber money_number(std::string name, Money amount) {
  return InsightNumber{std::move(name), to_double(amount), format_dollars(amount)};
}

InsightNumber fraction_number(std::string name, double fraction) {
  return InsightNumber{std::move(name), fraction, format_percent(fraction)};
}

InsightNumber sentiment_number(std::string name, double score) {
  return InsightNumber{std::move(name), score, format_sentiment(score)};
}

InsightNumber count_number(std::string name, std::uint64_t count) {
  return InsightNumber{std::move(name), static_cast<double>(count), std::to_string(count)};
}

double fraction_of(Money part, Money whole) noexcept {
  return whole.units > 0 ? static_cast<double>(part.units) / static_cast<double>(whole.units) : 0.0;
}

void check_threshold(std::string_view name, double value, double high) {
  if (!(value >= 0.0 && value <= high)) {  // also refuses NaN
    throw Error(ErrorKind::Usage, fmt::format("the insight threshold {} must be between 0 and {}, "
                                              "not {}",
                                              name, high, value));
  }
}

std::optional<Insight> top_sentiment_below_average(const TopProducts& top,
                                                   const InsightThresholds& limits) {
  if (top.rows.empty() || !top.rows.front().avg_sentiment || !top.all_product_avg_sentiment) {
    return std::nullopt;
  }
  const ProductRow& row = top.rows.front();
  const double gap = *top.all_product_avg_sentiment - *row.avg_sentiment;
  if (!(gap > limits.sentiment_gap_points)) {
    return std::nullopt;
  }
  Insight insight;
  insight.id = "top_sentiment_below_average";
  insight.product_id = row.product_id;
  insight.sentence = fmt::format(
      "{}, the top product by revenue in {} ({}), is rated {} on average ({} reviews), below the "
      "{} average of all products ({} reviews).",
      row.product_id, top.period.label, format_dollars(row.revenue),
      format_sentiment(*row.avg_sentiment), row.review_count,
      format_sentiment(*top.all_product_avg_sentiment), top.all_product_review_count);
  insight.numbers = {money_number("revenue", row.revenue),
                     sentiment_number("avg_sentiment", *row.avg_sentiment),
                     count_number("review_count", row.review_count),
                     sentiment_number("all_product_avg_sentiment", *top.all_product_avg_sentiment),
                     count_number("all_product_review_count", top.all_product_review_count)};
  insight.recommendation = fmt::format(
      "Investigate the reviews of {}: it earns the most but is rated {} points below the average "
      "product.",
      row.product_id, format_sentiment(gap));
  return insight;
}

void revenue_fell(const TopProducts& top, const InsightThresholds& limits,
                  std::vector<Insight>& out) {
  if (!top.previous) {
    return;
  }
  for (const ProductRow& row : top.rows) {
    if (!row.change || row.change->is_new()) {
      continue;
    }
    const double fall = -fraction_of(row.change->delta, row.change->previous_revenue);
    if (!(fall > limits.revenue_fall_fraction)) {
      continue;
    }
    Insight insight;
    insight.id = "revenue_fell";
    insight.product_id = row.product_id;
    insight.sentence =
        fmt::format("{}'s revenue fell {} against {}, from {} to {}.", row.product_id,
                    format_percent(fall), top.previous->label,
                    format_dollars(row.change->previous_revenue), format_dollars(row.revenue));
    insight.numbers = {money_number("previous_revenue", row.change->previous_revenue),
                       money_number("revenue", row.revenue),
                       money_number("change", row.change->delta), fraction_number("fall", fall)};
    insight.recommendation = fmt::format(
        "Find out why {} sold less than in {}: check its price, stock, competitors and recent "
        "reviews.",
        row.product_id, top.previous->label);
    out.push_back(std::move(insight));
  }
}

std::optional<Insight> concentration(const TopProducts& top, const InsightThresholds& limits) {
  if (top.rows.empty() || !(top.rows.front().share > limits.concentration_share)) {
    return std::nullopt;
  }
  const ProductRow& row = top.rows.front();
  Insight insight;
  insight.id = "concentration";
  insight.product_id = row.product_id;
  insight.sentence =
      fmt::format("Revenue is concentrated: {} alone brought {} of {} revenue ({} of {}).",
                  row.product_id, format_percent(row.share), top.period.label,
                  format_dollars(row.revenue), format_dollars(top.period_revenue));
  insight.numbers = {fraction_number("share", row.share), money_number("revenue", row.revenue),
                     money_number("period_revenue", top.period_revenue),
                     fraction_number("threshold", limits.concentration_share)};
  if (top.rows.size() > 1) {
    std::string next;
    for (std::size_t i = 1; i < top.rows.size() && i < 3; ++i) {
      next += (i > 1 ? ", " : "") + top.rows[i].product_id;
    }
    insight.recommendation =
        fmt::format("Reduce the dependence on {}: promote the next products in the ranking ({}).",
                    row.product_id, next);
  } else {
    insight.recommendation =
        fmt::format("Reduce the dependence on {}: no other product sold in {}.", row.product_id,
                    top.period.label);
  }
  return insight;
}

std::optional<Insight> vip_share(const TopProducts& top, const InsightInputs& inputs) {
  if (!inputs.vip || inputs.vip->vip_customers == 0) {
    return std::nullopt;
  }
  const VipRevenue& vip = *inputs.vip;
  Insight insight;
  insight.id = "vip_share";
  if (vip.period_vip_customers == 0) {
    insight.sentence = fmt::format("None of the {} VIP customers bought in {}.", vip.vip_customers,
                                   top.period.label);
    insight.numbers = {count_number("vip_customers", vip.vip_customers),
                       count_number("period_vip_customers", 0)};
    insight.recommendation = fmt::format("Win back the VIP customers: none of the {} bought in {}.",
                                         vip.vip_customers, top.period.label);
    return insight;
  }
  const double share = fraction_of(vip.vip_revenue, vip.period_revenue);
  const double customer_share =
      static_cast<double>(vip.period_vip_customers) / static_cast<double>(vip.period_customers);
  insight.sentence = fmt::format(
      "VIP customers brought {} of {} revenue ({} of {}); they are {} of the {} customers who "
      "bought ({}).",
      format_percent(share), top.period.label, format_dollars(vip.vip_revenue),
      format_dollars(vip.period_revenue), vip.period_vip_customers, vip.period_customers,
      format_percent(customer_share));
  insight.numbers = {fraction_number("vip_share", share),
                     money_number("vip_revenue", vip.vip_revenue),
                     money_number("period_revenue", vip.period_revenue),
                     count_number("period_vip_customers", vip.period_vip_customers),
                     count_number("period_customers", vip.period_customers),
                     fraction_number("vip_customer_share", customer_share)};
  if (share >= inputs.thresholds.vip_dependence_share) {
    insight.recommendation = fmt::format(
        "Look after the {} VIP customers (loyalty offers, personal account care): they bring {} "
        "of revenue.",
        vip.period_vip_customers, format_percent(share));
  }
  return insight;
}

std::optional<Insight> missing_reviews(const TopProducts& top, const InsightThresholds& limits) {
  if (top.period_sales == 0) {
    return std::nullopt;
  }
  const double share =
      static_cast<double>(top.period_sales_without_review) / static_cast<double>(top.period_sales);
  if (!(share > limits.missing_review_share)) {
    return std::nullopt;
  }
  Insight insight;
  insight.id = "missing_reviews";
  insight.sentence = fmt::format(
      "{} of the {} sales in {} ({}) have no review from their customer for the product, so the "
      "sentiment figures say nothing about those purchases.",
      top.period_sales_without_review, top.period_sales, top.period.label, format_percent(share));
  insight.numbers = {count_number("sales_without_review", top.period_sales_without_review),
                     count_number("period_sales", top.period_sales),
                     fraction_number("share", share)};
  insight.recommendation =
      fmt::format("Ask customers for a review after each purchase: {} of {} sales have none.",
                  format_percent(share), top.period.label);
  return insight;
}

}  // namespace

void InsightThresholds::validate() const {
  check_threshold("sentiment_gap_points", sentiment_gap_points, 4.0);
  check_threshold("revenue_fall_fraction", revenue_fall_fraction, 1.0);
  check_threshold("concentration_share", concentration_share, 1.0);
  check_threshold("vip_dependence_share", vip_dependence_share, 1.0);
  check_threshold("missing_review_share", missing_review_share, 1.0);
}

VipRevenue vip_revenue(const SalesTable& sales, const Period& period,
                       std::span<const std::uint8_t> is_vip) {
  const std::size_t customer_count = sales.customers.size();
  if (is_vip.size() > customer_count) {
    throw Error(ErrorKind::Internal,
                fmt::format("{} VIP flags given for {} customers", is_vip.size(), customer_count));
  }
  VipRevenue vip;
  for (const std::uint8_t flag : is_vip) {
    vip.vip_customers += flag != 0 ? 1 : 0;
  }
  std::vector<std::uint8_t> bought(customer_count, 0);
  for (std::size_t i = 0; i < sales.size(); ++i) {
    if (!period.contains(sales.sale_date[i])) {
      continue;
    }
    const std::uint32_t customer = sales.customer[i];
    if (customer >= customer_count) {
      throw Error(ErrorKind::Internal,
                  fmt::format("sale row {} has customer code {} but there are {} customers", i,
                              customer, customer_count));
    }
    const bool is_vip_sale = customer < is_vip.size() && is_vip[customer] != 0;
    const std::int64_t revenue = sales.total_revenue[i].units;
    if (__builtin_add_overflow(vip.period_revenue.units, revenue, &vip.period_revenue.units) ||
        (is_vip_sale &&
         __builtin_add_overflow(vip.vip_revenue.units, revenue, &vip.vip_revenue.units))) {
      throw Error(ErrorKind::Input,
                  fmt::format("the revenue of {} is too large to add up exactly", period.label));
    }
    if (bought[customer] == 0) {
      bought[customer] = 1;
      ++vip.period_customers;
      vip.period_vip_customers += is_vip_sale ? 1 : 0;
    }
  }
  return vip;
}

std::vector<Insight> insights(const TopProducts& top, const InsightInputs& inputs) {
  inputs.thresholds.validate();
  std::vector<Insight> fired;
  if (auto insight = top_sentiment_below_average(top, inputs.thresholds)) {
    fired.push_back(std::move(*insight));
  }
  revenue_fell(top, inputs.thresholds, fired);
  if (auto insight = concentration(top, inputs.thresholds)) {
    fired.push_back(std::move(*insight));
  }
  if (auto insight = vip_share(top, inputs)) {
    fired.push_back(std::move(*insight));
  }
  if (auto insight = missing_reviews(top, inputs.thresholds)) {
    fired.push_back(std::move(*insight));
  }
  return fired;
}

std::vector<std::string> recommendations(const std::vector<Insight>& fired) {
  std::vector<std::string> out;
  for (const Insight& insight : fired) {
    if (!insight.recommendation.empty()) {
      out.push_back(insight.recommendation);
    }
  }
  return out;
}

}  // namespace salespipe::analyze
