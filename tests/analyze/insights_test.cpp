#include "analyze/insights.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "tables.hpp"

namespace salespipe::analyze {
namespace {
using test::throws_error;

Money dollars(std::int64_t whole) { return Money{whole * Money::kScale}; }

ProductRow row(std::size_t rank, std::string id, std::int64_t revenue, double share,
               std::optional<double> sentiment, std::uint64_t reviews,
               std::optional<std::int64_t> previous) {
  ProductRow r;
  r.rank = rank;
  r.product = static_cast<std::uint32_t>(rank - 1);
  r.product_id = std::move(id);
  r.revenue = dollars(revenue);
  r.share = share;
  r.avg_sentiment = sentiment;
  r.review_count = reviews;
  if (previous) {
    RevenueChange change;
    change.previous_revenue = dollars(*previous);
    change.delta = dollars(revenue - *previous);
    if (*previous != 0) {
      change.percent =
          static_cast<double>(revenue - *previous) / static_cast<double>(*previous) * 100.0;
    }
    r.change = change;
  }
  return r;
}

// A quarter where no rule fires: sentiment near the average, small moves, no dominant product
// and 10% of sales without a review.
TopProducts quiet_quarter() {
  TopProducts top;
  top.period = quarter_period(2023, 1);
  top.previous = quarter_period(2022, 4);
  top.previous_sales = 90;
  top.top_n = 3;
  top.period_revenue = dollars(10000);
  top.period_sales = 100;
  top.period_sales_without_review = 10;
  top.products_sold = 6;
  top.rows = {row(1, "P1", 3000, 0.30, 3.95, 20, 2900), row(2, "P2", 2500, 0.25, 3.5, 10, 2600),
              row(3, "P3", 2000, 0.20, std::nullopt, 0, 0)};
  top.all_product_avg_sentiment = 3.9;
  top.all_product_review_count = 100;
  return top;
}

std::vector<std::string> fired_ids(const std::vector<Insight>& fired) {
  std::vector<std::string> out;
  for (const Insight& insight : fired) {
    out.push_back(insight.id + (insight.product_id.empty() ? "" : ":" + insight.product_id));
  }
  return out;
}

std::string number_text(const Insight& insight, std::string_view name) {
  for (const InsightNumber& number : insight.numbers) {
    if (number.name == name) {
      return number.text;
    }
  }
  return "<no number " + std::string(name) + ">";
}

TEST(Insights, NoRuleFiresOnAQuietQuarter) { EXPECT_TRUE(insights(quiet_quarter()).empty()); }

TEST(Insights, TopProductRatedBelowAverageFires) {
  TopProducts top = quiet_quarter();
  top.rows[0].avg_sentiment = 3.5;
  const std::vector<Insight> fired = insights(top);
  ASSERT_EQ(fired_ids(fired), (std::vector<std::string>{"top_sentiment_below_average:P1"}));
  EXPECT_EQ(fired[0].sentence,
            "P1, the top product by revenue in 2023 Q1 ($3,000.00), is rated 3.50 on average (20 "
            "reviews), below the 3.90 average of all products (100 reviews).");
  EXPECT_EQ(fired[0].recommendation,
            "Investigate the reviews of P1: it earns the most but is rated 0.40 points below the "
            "average product.");
  EXPECT_EQ(number_text(fired[0], "avg_sentiment"), "3.50");
  EXPECT_EQ(number_text(fired[0], "all_product_avg_sentiment"), "3.90");
  EXPECT_EQ(number_text(fired[0], "revenue"), "$3,000.00");
  EXPECT_EQ(number_text(fired[0], "review_count"), "20");
}

TEST(Insights, TopProductJustBelowAverageDoesNotFire) {
  TopProducts top = quiet_quarter();
  top.rows[0].avg_sentiment = 3.85;  // 0.05 below: within the gap
  EXPECT_TRUE(insights(top).empty());
  top.rows[0].avg_sentiment = 4.5;  // above
  EXPECT_TRUE(insights(top).empty());
}

TEST(Insights, SentimentRuleNeedsBothAverages) {
  TopProducts top = quiet_quarter();
  top.rows[0].avg_sentiment.reset();
  EXPECT_TRUE(insights(top).empty());
  top = quiet_quarter();
  top.rows[0].avg_sentiment = 1.0;
  top.all_product_avg_sentiment.reset();
  EXPECT_TRUE(insights(top).empty());
}

TEST(Insights, RevenueFallOverTheThresholdFires) {
  TopProducts top = quiet_quarter();
  top.rows[1] = row(2, "P2", 2500, 0.25, 3.5, 10, 3000);
  const std::vector<Insight> fired = insights(top);
  ASSERT_EQ(fired_ids(fired), (std::vector<std::string>{"revenue_fell:P2"}));
  EXPECT_EQ(fired[0].sentence,
            "P2's revenue fell 16.7% against 2022 Q4, from $3,000.00 to $2,500.00.");
  EXPECT_EQ(fired[0].recommendation,
            "Find out why P2 sold less than in 2022 Q4: check its price, stock, competitors and "
            "recent reviews.");
  EXPECT_EQ(number_text(fired[0], "change"), "-$500.00");
  EXPECT_EQ(number_text(fired[0], "fall"), "16.7%");
}

TEST(Insights, EveryFallingTopProductFiresInRankOrder) {
  TopProducts top = quiet_quarter();
  top.rows[0] = row(1, "P1", 3000, 0.30, 3.95, 20, 6000);
  top.rows[2] = row(3, "P3", 2000, 0.20, std::nullopt, 0, 2300);
  EXPECT_EQ(fired_ids(insights(top)),
            (std::vector<std::string>{"revenue_fell:P1", "revenue_fell:P3"}));
}

TEST(Insights, SmallFallGrowthAndNewProductsDoNotFire) {
  TopProducts top = quiet_quarter();
  top.rows[0] = row(1, "P1", 3000, 0.30, 3.95, 20, 3300);      // 9.1% fall
  top.rows[1] = row(2, "P2", 2500, 0.25, 3.5, 10, 1000);       // growth
  top.rows[2] = row(3, "P3", 2000, 0.20, std::nullopt, 0, 0);  // new
  EXPECT_TRUE(insights(top).empty());
}

TEST(Insights, NoFallWithoutAComparison) {
  TopProducts top = quiet_quarter();
  top.rows[1] = row(2, "P2", 2500, 0.25, 3.5, 10, std::nullopt);
  EXPECT_TRUE(insights(top).empty());
}

TEST(Insights, ConcentrationAboveTheThresholdFires) {
  TopProducts top = quiet_quarter();
  top.rows[0].revenue = dollars(4000);
  top.rows[0].share = 0.40;
  const std::vector<Insight> fired = insights(top);
  ASSERT_EQ(fired_ids(fired), (std::vector<std::string>{"concentration:P1"}));
  EXPECT_EQ(fired[0].sentence,
            "Revenue is concentrated: P1 alone brought 40.0% of 2023 Q1 revenue ($4,000.00 of "
            "$10,000.00).");
  EXPECT_EQ(fired[0].recommendation,
            "Reduce the dependence on P1: promote the next products in the ranking (P2, P3).");
}

TEST(Insights, ConcentrationAtOrBelowTheThresholdDoesNotFire) {
  TopProducts top = quiet_quarter();
  top.rows[0].share = kConcentrationShare;
  EXPECT_TRUE(insights(top).empty());
}

TEST(Insights, SingleProductIsConcentratedWithNothingToPromote) {
  TopProducts top = quiet_quarter();
  top.rows.resize(1);
  top.rows[0].share = 1.0;
  const std::vector<Insight> fired = insights(top);
  ASSERT_EQ(fired_ids(fired), (std::vector<std::string>{"concentration:P1"}));
  EXPECT_EQ(fired[0].recommendation,
            "Reduce the dependence on P1: no other product sold in 2023 Q1.");
}

TEST(Insights, MissingReviewsAboveTheThresholdFire) {
  TopProducts top = quiet_quarter();
  top.period_sales_without_review = 25;
  const std::vector<Insight> fired = insights(top);
  ASSERT_EQ(fired_ids(fired), (std::vector<std::string>{"missing_reviews"}));
  EXPECT_EQ(fired[0].sentence,
            "25 of the 100 sales in 2023 Q1 (25.0%) have no review from their customer for the "
            "product, so the sentiment figures say nothing about those purchases.");
  EXPECT_EQ(fired[0].recommendation,
            "Ask customers for a review after each purchase: 25.0% of 2023 Q1 sales have none.");
}

TEST(Insights, MissingReviewsAtTheThresholdDoNotFire) {
  TopProducts top = quiet_quarter();
  top.period_sales_without_review = 15;
  EXPECT_TRUE(insights(top).empty());
}

VipRevenue vips(std::uint64_t total, std::uint64_t bought, std::uint64_t customers,
                std::int64_t revenue) {
  VipRevenue vip;
  vip.vip_customers = total;
  vip.period_customers = customers;
  vip.period_vip_customers = bought;
  vip.vip_revenue = dollars(revenue);
  vip.period_revenue = dollars(10000);
  return vip;
}

InsightInputs with_vip(const VipRevenue& vip) {
  InsightInputs inputs;
  inputs.vip = vip;
  return inputs;
}

TEST(Insights, VipShareIsStatedWhenASegmentationExists) {
  const std::vector<Insight> fired = insights(quiet_quarter(), with_vip(vips(12, 10, 80, 3500)));
  ASSERT_EQ(fired_ids(fired), (std::vector<std::string>{"vip_share"}));
  EXPECT_EQ(fired[0].sentence,
            "VIP customers brought 35.0% of 2023 Q1 revenue ($3,500.00 of $10,000.00); they are "
            "10 of the 80 customers who bought (12.5%).");
  EXPECT_TRUE(fired[0].recommendation.empty());
  EXPECT_TRUE(recommendations(fired).empty());
}

TEST(Insights, DominantVipsGetARecommendation) {
  const std::vector<Insight> fired = insights(quiet_quarter(), with_vip(vips(12, 10, 80, 6000)));
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].recommendation,
            "Look after the 10 VIP customers (loyalty offers, personal account care): they bring "
            "60.0% of revenue.");
}

TEST(Insights, VipsWhoDidNotBuyAreNamed) {
  const std::vector<Insight> fired = insights(quiet_quarter(), with_vip(vips(12, 0, 80, 0)));
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].sentence, "None of the 12 VIP customers bought in 2023 Q1.");
  EXPECT_EQ(fired[0].recommendation,
            "Win back the VIP customers: none of the 12 bought in 2023 Q1.");
}

TEST(Insights, NoVipInsightWithoutASegmentOrVips) {
  EXPECT_TRUE(insights(quiet_quarter(), InsightInputs{}).empty());
  EXPECT_TRUE(insights(quiet_quarter(), with_vip(vips(0, 0, 80, 0))).empty());
}

TEST(Insights, AllRulesFireInAFixedOrder) {
  TopProducts top = quiet_quarter();
  top.rows[0] = row(1, "P1", 4000, 0.40, 3.0, 20, 5000);
  top.period_sales_without_review = 40;
  const std::vector<Insight> fired = insights(top, with_vip(vips(12, 10, 80, 6000)));
  EXPECT_EQ(fired_ids(fired),
            (std::vector<std::string>{"top_sentiment_below_average:P1", "revenue_fell:P1",
                                      "concentration:P1", "vip_share", "missing_reviews"}));
  const std::vector<std::string> recs = recommendations(fired);
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs[0].rfind("Investigate the reviews of P1", 0), 0u);
  EXPECT_EQ(recs[4].rfind("Ask customers for a review", 0), 0u);
}

TEST(Insights, ThresholdsCanBeTightened) {
  InsightInputs inputs;
  inputs.thresholds.concentration_share = 0.25;
  inputs.thresholds.missing_review_share = 0.05;
  EXPECT_EQ(fired_ids(insights(quiet_quarter(), inputs)),
            (std::vector<std::string>{"concentration:P1", "missing_reviews"}));
}

TEST(Insights, BadThresholdsAreAUsageError) {
  InsightInputs inputs;
  inputs.thresholds.concentration_share = 1.5;
  EXPECT_TRUE(throws_error([&] { insights(quiet_quarter(), inputs); }, ErrorKind::Usage,
                           "the insight threshold concentration_share must be between 0 and 1, "
                           "not 1.5"));
  inputs = InsightInputs{};
  inputs.thresholds.sentiment_gap_points = std::nan("");
  EXPECT_TRUE(throws_error([&] { insights(quiet_quarter(), inputs); }, ErrorKind::Usage,
                           "the insight threshold sentiment_gap_points must be between 0 and 4, "
                           "not nan"));
  inputs = InsightInputs{};
  inputs.thresholds.revenue_fall_fraction = -0.1;
  EXPECT_TRUE(throws_error([&] { insights(quiet_quarter(), inputs); }, ErrorKind::Usage,
                           "the insight threshold revenue_fall_fraction must be between 0 and 1, "
                           "not -0.1"));
}

TEST(VipRevenue, SumsTheVipCustomersSalesInThePeriod) {
  // C1 and C3 are VIPs; C3 bought only before the period. C4 is known only from a review and
  // has no flag.
  const test::Tables t = test::make_tables({{"P1", "C1", 10000, 2, "2023-01-10"},
                                            {"P1", "C2", 5000, 1, "2023-01-11"},
                                            {"P2", "C1", 3000, 1, "2023-02-01"},
                                            {"P2", "C3", 9000, 1, "2022-12-01"}},
                                           {{"P1", "C4", 4.0, "2023-01-01"}});
  const std::vector<std::uint8_t> is_vip = {1, 0, 1};
  const VipRevenue vip = vip_revenue(t.sales, quarter_period(2023, 1), is_vip);
  EXPECT_EQ(vip.vip_customers, 2u);
  EXPECT_EQ(vip.period_customers, 2u);
  EXPECT_EQ(vip.period_vip_customers, 1u);
  EXPECT_EQ(vip.vip_revenue, dollars(230));
  EXPECT_EQ(vip.period_revenue, dollars(280));
}

TEST(VipRevenue, MoreFlagsThanCustomersIsAnInternalError) {
  const test::Tables t = test::make_tables({{"P1", "C1", 10000, 2, "2023-01-10"}});
  const std::vector<std::uint8_t> is_vip = {1, 0};
  EXPECT_TRUE(throws_error([&] { vip_revenue(t.sales, quarter_period(2023, 1), is_vip); },
                           ErrorKind::Internal, "2 VIP flags given for 1 customers"));
}

}  // namespace
}  // namespace salespipe::analyze
