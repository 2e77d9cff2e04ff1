// Top products on the lab's real inputs, loaded by the real ETL, checked byte for byte against the
// independent pandas reference (tools/analysis_reference.py, golden files
// tests/golden/seed/top_products*.csv).
#include <gtest/gtest.h>

#include <filesystem>

#include "analyze/insights.hpp"
#include "analyze/top_products.hpp"
#include "pipeline/etl.hpp"
#include "testing/testing.hpp"

namespace salespipe::analyze {
namespace {
namespace fs = std::filesystem;

class AnalyzeOnSeed : public ::testing::Test {
 protected:
  void SetUp() override {
    SALESPIPE_REQUIRE_SEED();
    pipeline::EtlOptions options;
    options.sales = testing::seed_dir() / "sale_price.csv";
    options.feedback = testing::seed_dir() / "customer_feedback.json";
    options.out = dir_.path();
    options.now_utc = [] { return std::string("2026-01-01T00:00:00Z"); };
    result_ = pipeline::extract_transform(options);
  }

  static std::string golden(std::string_view name) {
    return testing::read_file(fs::path(SALESPIPE_GOLDEN_DIR) / "seed" / name);
  }

  testing::TempDir dir_;
  pipeline::EtlResult result_;
};

TEST_F(AnalyzeOnSeed, FirstQuarterTopFiveMatchesThePandasReference) {
  const Period period = parse_period("2023Q1", result_.sales);
  const TopProducts top = top_products(result_.sales, result_.reviews, period, 5);
  EXPECT_EQ(top_products_csv(top), golden("top_products.csv"));
}

TEST_F(AnalyzeOnSeed, RangeTopThreeWithChangesMatchesThePandasReference) {
  const Period period = parse_period("2023-02-16..2023-03-31", result_.sales);
  const TopProducts top = top_products(result_.sales, result_.reviews, period, 3);
  EXPECT_EQ(top_products_csv(top), golden("top_products_range.csv"));
}

TEST_F(AnalyzeOnSeed, LatestQuarterIsTheWholeFirstQuarter) {
  // Every loaded sale falls in 2023 Q1 (DESIGN.md section 3) and the last one on 31 March.
  const Period period = parse_period("latest-quarter", result_.sales);
  EXPECT_EQ(describe(period), "2023 Q1");
  const TopProducts top = top_products(result_.sales, result_.reviews, period, 5);
  EXPECT_EQ(top.period_sales, result_.counts.sales_loaded);
  EXPECT_EQ(top.period_sales_without_review, result_.transform.sales_without_review);
  EXPECT_EQ(top.all_product_review_count, result_.counts.reviews_latest);
  EXPECT_EQ(top.previous_sales, 0u);
}

TEST_F(AnalyzeOnSeed, LabWeightingDiffersFromTheLatestReviewMean) {
  // Reference values from pandas on the same inputs: the mean sentiment of the joined sales rows
  // (the lab's figure) against the mean of the latest reviews (ours), overall and for P104.
  const Period period = parse_period("2023Q1", result_.sales);
  const TopProducts top = top_products(result_.sales, result_.reviews, period, 5);
  ASSERT_TRUE(top.lab_weighted_avg_sentiment && top.all_product_avg_sentiment);
  EXPECT_NEAR(*top.lab_weighted_avg_sentiment, 2.9112, 5e-5);
  EXPECT_NEAR(*top.all_product_avg_sentiment, 3.0082, 5e-5);
  ASSERT_EQ(top.rows[0].product_id, "P104");
  ASSERT_TRUE(top.rows[0].lab_weighted_sentiment);
  EXPECT_NEAR(*top.rows[0].lab_weighted_sentiment, 3.0624, 5e-5);
}

TEST_F(AnalyzeOnSeed, OnlyTheMissingReviewsInsightFires) {
  const Period period = parse_period("2023Q1", result_.sales);
  const std::vector<Insight> fired =
      insights(top_products(result_.sales, result_.reviews, period, 5));
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].id, "missing_reviews");
  EXPECT_EQ(fired[0].sentence,
            "204 of the 800 sales in 2023 Q1 (25.5%) have no review from their customer for the "
            "product, so the sentiment figures say nothing about those purchases.");
}

}  // namespace
}  // namespace salespipe::analyze
