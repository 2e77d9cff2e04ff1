#include "analyze/top_products.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "tables.hpp"

namespace salespipe::analyze {
namespace {
using test::make_tables;
using test::throws_error;

Money dollars(std::int64_t cents) { return Money{cents * 100}; }

std::vector<std::string> ids(const TopProducts& top) {
  std::vector<std::string> out;
  for (const ProductRow& row : top.rows) {
    out.push_back(row.product_id);
  }
  return out;
}

// 2023 Q1 against 2022 Q4, with a product that is new, one that grew, one that fell and one that
// sold only in the previous quarter; reviews include a superseded one and one without a sale.
test::Tables change_tables() {
  return make_tables({{"P1", "C1", 25000, 4, "2023-02-10", 4.0},
                      {"P2", "C2", 12500, 2, "2023-01-05", 3.0},
                      {"P2", "C3", 12500, 2, "2023-03-30"},
                      {"P3", "C1", 10000, 3, "2023-03-01"},
                      {"P1", "C1", 20000, 4, "2022-12-01", 4.0},
                      {"P2", "C2", 100000, 1, "2022-10-01", 3.0},
                      {"P4", "C4", 20000, 1, "2022-11-11"},
                      {"P4", "C4", 99900, 1, "2022-09-30"}},
                     {{"P1", "C1", 4.0, "2023-02-11"},
                      {"P1", "C2", 3.5, "2022-06-01"},
                      {"P2", "C2", 2.0, "2022-10-02", true},
                      {"P2", "C2", 3.0, "2023-01-06"}});
}

TEST(TopProducts, RanksByRevenueWithTiesBrokenByProductIdText) {
  // P9 is seen first, so its code is lower than P10's; the tie still goes to "P10" < "P9".
  const test::Tables t = make_tables({{"P9", "C1", 10000, 2, "2023-01-10"},
                                      {"P10", "C1", 20000, 1, "2023-01-11"},
                                      {"P2", "C2", 5000, 1, "2023-02-01"},
                                      {"P3", "C3", 30000, 1, "2023-03-01"}});
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 3);
  EXPECT_EQ(ids(top), (std::vector<std::string>{"P3", "P10", "P9"}));
  EXPECT_EQ(top.rows[0].rank, 1u);
  EXPECT_EQ(top.rows[2].rank, 3u);
  EXPECT_EQ(top.products_sold, 4u);
  EXPECT_EQ(top.top_n, 3u);
}

TEST(TopProducts, ShowsEverySoldProductWhenFewerThanN) {
  const test::Tables t =
      make_tables({{"P1", "C1", 1000, 1, "2023-01-10"}, {"P2", "C1", 2000, 1, "2022-01-11"}});
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 5);
  EXPECT_EQ(ids(top), (std::vector<std::string>{"P1"}));
  EXPECT_EQ(top.products_sold, 1u);
}

TEST(TopProducts, SumsOnlyTheSalesDatedInThePeriod) {
  const test::Tables t = make_tables({{"P1", "C1", 15000, 2, "2023-01-15"},
                                      {"P1", "C2", 15000, 1, "2023-02-01"},
                                      {"P1", "C1", 15000, 3, "2023-03-31"},
                                      {"P2", "C1", 7550, 1, "2023-01-01"},
                                      {"P2", "C3", 7550, 9, "2023-04-01"},
                                      {"P1", "C4", 15000, 9, "2022-12-31"}});
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 5);
  ASSERT_EQ(top.rows.size(), 2u);
  const ProductRow& p1 = top.rows[0];
  EXPECT_EQ(p1.product_id, "P1");
  EXPECT_EQ(p1.revenue, dollars(90000));
  EXPECT_EQ(p1.units, 6);
  EXPECT_EQ(p1.orders, 3u);
  EXPECT_EQ(p1.customers, 2u);
  const ProductRow& p2 = top.rows[1];
  EXPECT_EQ(p2.revenue, dollars(7550));
  EXPECT_EQ(p2.units, 1);
  EXPECT_EQ(p2.customers, 1u);
  EXPECT_EQ(top.period_revenue, dollars(97550));
  EXPECT_EQ(top.period_sales, 4u);
  EXPECT_DOUBLE_EQ(p1.share, 900.0 / 975.5);
  EXPECT_DOUBLE_EQ(p2.share, 75.5 / 975.5);
  EXPECT_EQ(top.data.first, test::day("2022-12-31"));
  EXPECT_EQ(top.data.last, test::day("2023-04-01"));
}

TEST(TopProducts, RevenueStaysExactOverManyCents) {
  // 0.10 added 1000 times: a binary double would drift, Money does not.
  SalesTable sales = make_tables({{"P1", "C1", 10, 1, "2023-01-10"}}).sales;
  for (int i = 1; i < 1000; ++i) {
    sales.sale_id.push_back("x");
    sales.product.push_back(0);
    sales.customer.push_back(0);
    sales.sale_price.push_back(Money{1000});
    sales.quantity.push_back(1);
    sales.sale_date.push_back(test::day("2023-01-10"));
    sales.total_revenue.push_back(Money{1000});
    sales.has_review.push_back(0);
    sales.sentiment.push_back(0);
    sales.review_date.push_back(Date{});
    sales.source_line.push_back(0);
  }
  const TopProducts top = top_products(sales, ReviewTable{}, quarter_period(2023, 1), 1);
  EXPECT_EQ(top.rows[0].revenue, dollars(10000));
  EXPECT_EQ(top.rows[0].customers, 1u);
}

TEST(TopProducts, CountsDistinctCustomersPerProduct) {
  const test::Tables t = make_tables({{"P1", "C1", 1000, 1, "2023-01-10"},
                                      {"P2", "C1", 900, 1, "2023-01-10"},
                                      {"P1", "C2", 1000, 1, "2023-01-11"},
                                      {"P2", "C3", 900, 1, "2023-01-12"},
                                      {"P1", "C1", 1000, 1, "2023-01-13"},
                                      {"P2", "C3", 900, 1, "2023-01-14"},
                                      {"P2", "C4", 900, 1, "2022-01-14"}});
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 2);
  ASSERT_EQ(ids(top), (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ(top.rows[0].customers, 2u);
  EXPECT_EQ(top.rows[1].customers, 2u);
  EXPECT_EQ(top.rows[1].orders, 3u);
}

TEST(TopProducts, SalesWithoutReviewCountInRevenue) {
  const test::Tables t = make_tables({{"P1", "C1", 1000, 1, "2023-01-10", 5.0},
                                      {"P1", "C2", 1000, 2, "2023-01-11"},
                                      {"P2", "C3", 500, 1, "2023-01-12"}});
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 5);
  EXPECT_EQ(top.rows[0].revenue, dollars(3000));
  EXPECT_EQ(top.period_sales, 3u);
  EXPECT_EQ(top.period_sales_without_review, 2u);
}

TEST(TopProducts, AvgSentimentIsTheUnweightedMeanOfLatestReviews) {
  // C1 bought P1 three times and rated it 5; C2 bought once and rated it 1; C9 never bought it
  // and rated it 3 before the period. C1's older rating 2 is superseded.
  const test::Tables t = make_tables({{"P1", "C1", 1000, 1, "2023-01-10", 5.0},
                                      {"P1", "C1", 1000, 1, "2023-01-11", 5.0},
                                      {"P1", "C1", 1000, 1, "2023-01-12", 5.0},
                                      {"P1", "C2", 1000, 1, "2023-01-13", 1.0},
                                      {"P2", "C2", 500, 1, "2023-01-13"}},
                                     {{"P1", "C1", 2.0, "2023-01-01", true},
                                      {"P1", "C1", 5.0, "2023-01-10"},
                                      {"P1", "C2", 1.0, "2023-01-13"},
                                      {"P1", "C9", 3.0, "2022-06-01"},
                                      {"P3", "C2", 2.0, "2023-02-01"}});
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 5);
  ASSERT_EQ(ids(top), (std::vector<std::string>{"P1", "P2"}));
  const ProductRow& p1 = top.rows[0];
  ASSERT_TRUE(p1.avg_sentiment);
  EXPECT_DOUBLE_EQ(*p1.avg_sentiment, 3.0);
  EXPECT_EQ(p1.review_count, 3u);
  // The lab weighted each review by its customer's purchases: (5 + 5 + 5 + 1) / 4.
  ASSERT_TRUE(p1.lab_weighted_sentiment);
  EXPECT_DOUBLE_EQ(*p1.lab_weighted_sentiment, 4.0);
  // P3 was never sold but its latest review joins the pool: (5 + 1 + 3 + 2) / 4.
  ASSERT_TRUE(top.all_product_avg_sentiment);
  EXPECT_DOUBLE_EQ(*top.all_product_avg_sentiment, 2.75);
  EXPECT_EQ(top.all_product_review_count, 4u);
  ASSERT_TRUE(top.lab_weighted_avg_sentiment);
  EXPECT_DOUBLE_EQ(*top.lab_weighted_avg_sentiment, 4.0);
}

TEST(TopProducts, ProductWithoutReviewsHasNoAverage) {
  const test::Tables t =
      make_tables({{"P1", "C1", 1000, 1, "2023-01-10"}, {"P2", "C2", 500, 1, "2023-01-13", 4.0}},
                  {{"P2", "C2", 4.0, "2023-01-14"}});
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 5);
  ASSERT_EQ(top.rows[0].product_id, "P1");
  EXPECT_FALSE(top.rows[0].avg_sentiment);
  EXPECT_EQ(top.rows[0].review_count, 0u);
  EXPECT_FALSE(top.rows[0].lab_weighted_sentiment);
  EXPECT_TRUE(top.rows[1].avg_sentiment);
}

TEST(TopProducts, NoReviewsAtAllLeavesEveryAverageAbsent) {
  const test::Tables t = make_tables({{"P1", "C1", 1000, 1, "2023-01-10"}});
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 5);
  EXPECT_FALSE(top.all_product_avg_sentiment);
  EXPECT_EQ(top.all_product_review_count, 0u);
  EXPECT_FALSE(top.lab_weighted_avg_sentiment);
}

TEST(TopProducts, ChangeAgainstThePreviousPeriod) {
  const test::Tables t = change_tables();
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 5);
  ASSERT_EQ(ids(top), (std::vector<std::string>{"P1", "P2", "P3"}));
  ASSERT_TRUE(top.previous);
  EXPECT_EQ(top.previous->label, "2022 Q4");
  EXPECT_EQ(top.previous_sales, 3u);
  EXPECT_EQ(top.previous_revenue, dollars(200000));

  const std::optional<RevenueChange>& grew = top.rows[0].change;
  ASSERT_TRUE(grew);
  EXPECT_EQ(grew->previous_revenue, dollars(80000));
  EXPECT_EQ(grew->delta, dollars(20000));
  ASSERT_TRUE(grew->percent);
  EXPECT_DOUBLE_EQ(*grew->percent, 25.0);
  EXPECT_FALSE(grew->is_new());

  const std::optional<RevenueChange>& fell = top.rows[1].change;
  ASSERT_TRUE(fell);
  EXPECT_EQ(fell->delta, dollars(-50000));
  EXPECT_DOUBLE_EQ(*fell->percent, -50.0);

  const std::optional<RevenueChange>& fresh = top.rows[2].change;
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(fresh->is_new());
  EXPECT_EQ(fresh->previous_revenue, Money{0});
  EXPECT_EQ(fresh->delta, dollars(30000));
  EXPECT_FALSE(fresh->percent);
}

TEST(TopProducts, NoChangeWhenThePreviousPeriodHasNoSales) {
  // The data starts in 2023 Q1: calling every product "new" would be wrong.
  const test::Tables t = make_tables({{"P1", "C1", 1000, 1, "2023-01-10"}});
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 5);
  ASSERT_TRUE(top.previous);
  EXPECT_EQ(top.previous_sales, 0u);
  EXPECT_FALSE(top.rows[0].change);
}

TEST(TopProducts, NoChangeForAllTime) {
  const test::Tables t = change_tables();
  const TopProducts top = top_products(t.sales, t.reviews, parse_period("all", t.sales), 5);
  EXPECT_FALSE(top.previous);
  EXPECT_FALSE(top.rows[0].change);
  EXPECT_EQ(top.previous_revenue, Money{0});
}

TEST(TopProducts, PeriodWithoutSalesIsAnInputError) {
  const test::Tables t = change_tables();
  EXPECT_TRUE(throws_error(
      [&] { top_products(t.sales, t.reviews, quarter_period(2023, 2), 5); }, ErrorKind::Input,
      "no loaded sales in 2023 Q2 (2023-04-01..2023-06-30); the loaded sales run from 2022-09-30 "
      "to 2023-03-30"));
}

TEST(TopProducts, ZeroProductsIsAUsageError) {
  const test::Tables t = change_tables();
  EXPECT_TRUE(throws_error([&] { top_products(t.sales, t.reviews, quarter_period(2023, 1), 0); },
                           ErrorKind::Usage, "the number of top products must be at least 1"));
}

TEST(TopProducts, CodeOutsideTheDictionaryIsAnInternalError) {
  test::Tables t = change_tables();
  t.sales.product[2] = 7;
  EXPECT_TRUE(throws_error([&] { top_products(t.sales, t.reviews, quarter_period(2023, 1), 5); },
                           ErrorKind::Internal,
                           "sale row 2 has product code 7 but there are 4 products"));
  t = change_tables();
  t.sales.customer[1] = 40;
  EXPECT_TRUE(throws_error([&] { top_products(t.sales, t.reviews, quarter_period(2023, 1), 5); },
                           ErrorKind::Internal,
                           "sale row 1 has customer code 40 but there are 4 customers"));
  t = change_tables();
  t.reviews.product[3] = 4;
  EXPECT_TRUE(throws_error([&] { top_products(t.sales, t.reviews, quarter_period(2023, 1), 5); },
                           ErrorKind::Internal,
                           "review row 3 has product code 4 but there are 4 products"));
}

TEST(TopProducts, ColumnsOfDifferentLengthsAreAnInternalError) {
  test::Tables t = change_tables();
  t.sales.has_review.pop_back();
  EXPECT_TRUE(throws_error([&] { top_products(t.sales, t.reviews, quarter_period(2023, 1), 5); },
                           ErrorKind::Internal, "the sales table's columns differ in length"));
  t = change_tables();
  t.reviews.superseded.push_back(0);
  EXPECT_TRUE(throws_error([&] { top_products(t.sales, t.reviews, quarter_period(2023, 1), 5); },
                           ErrorKind::Internal, "the review table's columns differ in length"));
}

TEST(TopProducts, RevenueTooLargeToAddIsAnInputError) {
  test::Tables t =
      make_tables({{"P1", "C1", 1000, 1, "2023-01-10"}, {"P1", "C2", 1000, 1, "2023-01-11"}});
  t.sales.total_revenue[0] = Money{std::numeric_limits<std::int64_t>::max() - 5};
  EXPECT_TRUE(throws_error([&] { top_products(t.sales, t.reviews, quarter_period(2023, 1), 5); },
                           ErrorKind::Input,
                           "the revenue or units of 2023 Q1 are too large to add up exactly"));
}

TEST(TopProductsCsv, WritesEveryColumnWithFixedPrecision) {
  const test::Tables t = change_tables();
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 5);
  EXPECT_EQ(top_products_csv(top),
            "rank,product_id,revenue,share,units,orders,customers,avg_sentiment,review_count,"
            "previous_revenue,change,change_pct\n"
            "1,P1,1000.00,0.5556,4,1,1,3.7500,2,800.00,200.00,25.00\n"
            "2,P2,500.00,0.2778,4,2,2,3.0000,1,1000.00,-500.00,-50.00\n"
            "3,P3,300.00,0.1667,3,1,1,,0,0.00,300.00,new\n");
}

TEST(TopProductsCsv, LeavesChangeCellsEmptyWithoutAPreviousPeriod) {
  const test::Tables t = change_tables();
  const TopProducts top = top_products(t.sales, t.reviews, parse_period("all", t.sales), 1);
  EXPECT_EQ(top_products_csv(top),
            "rank,product_id,revenue,share,units,orders,customers,avg_sentiment,review_count,"
            "previous_revenue,change,change_pct\n"
            "1,P1,1800.00,0.3751,8,2,1,3.7500,2,,,\n");
}

TEST(TopProductsCsv, QuotesProductIdsThatNeedIt) {
  const test::Tables t =
      make_tables({{"P,1", "C1", 2000, 1, "2023-01-10"}, {"Q\"2", "C1", 1000, 1, "2023-01-10"}});
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 5);
  const std::string csv = top_products_csv(top);
  EXPECT_NE(csv.find("\n1,\"P,1\",20.00,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n2,\"Q\"\"2\",10.00,"), std::string::npos) << csv;
}

TEST(TopProductsCsv, PrintsATinyFallWithoutANegativeZero) {
  // -0.001 % rounds to 0.00: the cell says 0.00, not -0.00.
  test::Tables t =
      make_tables({{"P1", "C1", 1000, 1, "2023-01-10"}, {"P1", "C1", 1000, 1, "2022-12-10"}});
  t.sales.total_revenue[0] = Money{99'999'999};
  t.sales.total_revenue[1] = Money{100'000'000};
  const TopProducts top = top_products(t.sales, t.reviews, quarter_period(2023, 1), 5);
  const std::string csv = top_products_csv(top);
  EXPECT_NE(csv.find(",10000.00,0.00,0.00\n"), std::string::npos) << csv;
}

}  // namespace
}  // namespace salespipe::analyze
