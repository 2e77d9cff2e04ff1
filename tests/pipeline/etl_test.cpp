// ETL behaviours on small hand-made inputs: duplicates, the join, extras, repairs, limits,
// accounting and the commit protocol.
#include "pipeline/etl.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.hpp"
#include "testing/testing.hpp"

namespace salespipe::pipeline {
namespace {
namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

constexpr std::string_view kFeedback = R"([
  {"customer_id": "C1", "product_id": "P1", "sentiment_score": 4.0, "review_date": "2023-01-05"},
  {"customer_id": "C1", "product_id": "P1", "sentiment_score": 2.0, "review_date": "2023-01-09"},
  {"customer_id": "C2", "product_id": "P2", "sentiment_score": "3.5", "review_date": "2023-02-01"},
  {"customer_id": "C9", "product_id": "P1", "sentiment_score": 5, "review_date": "2023-02-01"}
]
)";

class Etl : public ::testing::Test {
 protected:
  EtlResult run(std::string_view sales, std::string_view feedback = kFeedback) {
    write_file(dir_ / "sales.csv", sales);
    write_file(dir_ / "feedback.json", feedback);
    options_.sales = dir_ / "sales.csv";
    options_.feedback = dir_ / "feedback.json";
    options_.now_utc = [] { return std::string("2026-01-01T00:00:00Z"); };
    options_.out = dir_ / "out";
    return run_etl(options_);
  }
  std::string output(std::string_view name) {
    return read_file(warehouse_dir(dir_ / "out") / name);
  }

  TempDir dir_;
  EtlOptions options_;
};

TEST_F(Etl, DropsExactDuplicatesAndRejectsReusedSaleIds) {
  const auto result =
      run("sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
          "1,P1,C1,10,1,2023-01-02\n"
          "1,P1,C1,10.00,1,2023-01-02\n"  // the same sale once cleaned: an exact duplicate
          "1,P1,C1,11,1,2023-01-02\n"     // same id, another price: duplicate_sale_id
          "2,P2,C2,5,2,2023-01-03\n");
  EXPECT_EQ(result.counts.sales_loaded, 2u);
  EXPECT_EQ(result.counts.sales_exact_duplicates, 1u);
  EXPECT_EQ(result.counts.sales_rejected, 1u);
  ASSERT_EQ(result.rejects.size(), 1u);
  EXPECT_EQ(result.rejects[0].line, 4u);
  EXPECT_EQ(result.rejects[0].reason, Reason::DuplicateSaleId);
  EXPECT_EQ(result.rejects[0].message,
            "sale_id 1 was loaded from line 2; this record differs in sale_price");
}

TEST_F(Etl, NextValidRecordLoadsWhenTheFirstWithItsIdWasRejected) {
  const auto result =
      run("sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
          "1,P1,C1,abc,1,2023-01-02\n"
          "1,P1,C1,10,1,2023-01-02\n");
  EXPECT_EQ(result.counts.sales_loaded, 1u);
  EXPECT_EQ(result.rejects.at(0).reason, Reason::BadPrice);
}

TEST_F(Etl, JoinsTheLatestReviewAndKeepsSalesWithoutOne) {
  const auto result =
      run("sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
          "1,P1,C1,10,3,2023-01-02\n"
          "2,P3,C3,5,1,2023-01-03\n");
  ASSERT_EQ(result.sales.size(), 2u);
  EXPECT_EQ(result.sales.has_review[0], 1);
  EXPECT_EQ(result.sales.sentiment[0], 2.0);  // the later of C1's two reviews of P1
  EXPECT_EQ(result.sales.has_review[1], 0);
  EXPECT_EQ(result.counts.reviews_latest, 3u);
  EXPECT_EQ(result.counts.reviews_superseded, 1u);
  EXPECT_EQ(result.transform.reviews_without_sale, 2u);
  EXPECT_EQ(output("processed_sales_data.csv"),
            "sale_id,product_id,customer_id,sale_price,quantity,sale_date,total_revenue,"
            "sentiment_score,review_date\n"
            "1,P1,C1,10.00,3,2023-01-02,30.00,2.0,2023-01-09\n"
            "2,P3,C3,5.00,1,2023-01-03,5.00,,\n");
}

TEST_F(Etl, RequireFeedbackExcludesSalesWithoutReviewAndCountsThem) {
  options_.require_feedback = true;
  const auto result =
      run("sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
          "1,P1,C1,10,3,2023-01-02\n"
          "2,P3,C3,5,1,2023-01-03\n");
  EXPECT_EQ(result.counts.sales_loaded, 1u);
  EXPECT_EQ(result.counts.sales_excluded_no_review, 1u);
}

TEST_F(Etl, MatchesHeadersLooselyAndCarriesExtraColumns) {
  const auto result =
      run("\xEF\xBB\xBFSale Date,REGION,Customer-ID,product_id,Sale_Price,sale id\r\n"
          "2023-01-02,\"North, East\", c1 ,p1,\"$1,234.50\",7\r\n");
  ASSERT_EQ(result.sales.size(), 1u);
  EXPECT_EQ(result.counts.sales_loaded, 1u);
  EXPECT_EQ(result.sales_quality.quantity_defaulted, 1u);
  EXPECT_FALSE(result.sales_quality.quantity_column_present);
  EXPECT_EQ(output("processed_sales_data.csv"),
            "sale_id,product_id,customer_id,sale_price,quantity,sale_date,total_revenue,"
            "sentiment_score,review_date,REGION\n"
            "7,P1,C1,1234.50,1,2023-01-02,1234.50,2.0,2023-01-09,\"North, East\"\n");
  EXPECT_EQ(result.sales_quality.ids_trimmed, 1u);
  EXPECT_EQ(result.sales_quality.ids_upper_cased, 2u);
}

TEST_F(Etl, ReportsEveryFaultOfARecordUnderItsFirstReason) {
  const auto result =
      run("sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
          "1,P1,C1,\"1.234,50\",-2,2023-02-30\n"
          "2,P1,C1,10,1,2023-01-02\n");
  ASSERT_EQ(result.rejects.size(), 1u);
  const Reject& reject = result.rejects[0];
  EXPECT_EQ(reject.column, "sale_price");
  EXPECT_EQ(reject.raw_value, "1.234,50");
  EXPECT_EQ(reject.reason, Reason::BadPrice);
  EXPECT_EQ(reject.message,
            "sale_price: cannot read \"1.234,50\" as a price; quantity: \"-2\" is not a positive "
            "whole number; sale_date: cannot read \"2023-02-30\" as a real date");
}

TEST_F(Etl, RowsOfTheWrongShapeAreRejectedWholeAndTheRestLoads) {
  const auto result =
      run("sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
          "1,P1,C1,10,1\n"
          "\n"
          "2,P1,C1,10,1,2023-01-02\n");
  EXPECT_EQ(result.counts.sales_read, 2u);
  EXPECT_EQ(result.counts.sales_blank_lines, 1u);
  ASSERT_EQ(result.rejects.size(), 1u);
  EXPECT_EQ(result.rejects[0].column, "*");
  EXPECT_EQ(result.rejects[0].reason, Reason::BadRowShape);
  EXPECT_EQ(result.rejects[0].raw_value, "1,P1,C1,10,1");
}

TEST_F(Etl, FeedbackRecordsThatAreNotUsableAreRejectedWithTheirLine) {
  const auto result =
      run("sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
          "1,P1,C1,10,1,2023-01-02\n",
          "[\n"
          "  {\"customer_id\": \"C1\", \"product_id\": \"P1\", \"sentiment_score\": true, "
          "\"review_date\": \"2023-01-05\"},\n"
          "  42,\n"
          "  {\"customer_id\": \"C1\", \"product_id\": \"P1\", \"sentiment_score\": 7, "
          "\"review_date\": \"2023-01-05\"},\n"
          "  {\"customer_id\": \"C1\", \"product_id\": \"P1\", \"sentiment_score\": \"four\", "
          "\"review_date\": \"2023-01-05\"},\n"
          "  {\"customer_id\": \"C1\", \"customer_id\": \"C2\", \"product_id\": \"P1\", "
          "\"sentiment_score\": 3, \"review_date\": \"2023-01-05\"},\n"
          "  {\"customer_id\": \"C1\", \"product_id\": \"P1\", \"sentiment_score\": 3, "
          "\"review_date\": \"2023-01-05\"}\n"
          "]\n");
  EXPECT_EQ(result.counts.reviews_read, 6u);
  EXPECT_EQ(result.counts.reviews_valid, 1u);
  ASSERT_EQ(result.rejects.size(), 5u);
  EXPECT_EQ(result.rejects[0].reason, Reason::BadSentiment);
  EXPECT_EQ(result.rejects[0].line, 2u);
  EXPECT_EQ(result.rejects[0].raw_value, "true");
  EXPECT_EQ(result.rejects[1].reason, Reason::NotAnObject);
  EXPECT_EQ(result.rejects[1].line, 3u);
  EXPECT_EQ(result.rejects[2].reason, Reason::SentimentOutOfRange);
  EXPECT_EQ(result.rejects[3].reason, Reason::BadSentiment);
  EXPECT_EQ(result.rejects[4].reason, Reason::DuplicateKey);
}

TEST_F(Etl, MissingRequiredColumnIsFatalWithItsPosition) {
  try {
    run("sale_id,product_id,customer_id,sale_price,quantity\n1,P1,C1,10,1\n");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_NE(
        std::string(error.what()).find("sales.csv:1:1: required column \"sale_date\" is missing"),
        std::string::npos)
        << error.what();
  }
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(Etl, DuplicatedColumnIsFatalAtItsColumn) {
  try {
    run("sale_id,product_id,customer_id,sale_price,Sale-Price,sale_date\n1,P1,C1,10,1,2023-01-"
        "02\n");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("sales.csv:1:43: column \"Sale-Price\" appears twice"),
              std::string::npos)
        << error.what();
  }
}

TEST_F(Etl, InputFromWhichNoRowLoadsIsFatalAndLeavesTheWarehouse) {
  run("sale_id,product_id,customer_id,sale_price,quantity,sale_date\n1,P1,C1,10,1,2023-01-02\n");
  const std::string before = output("processed_sales_data.csv");
  EXPECT_THROW(
      run("sale_id,product_id,customer_id,sale_price,quantity,sale_date\n1,P1,C1,,1,2023-01-02\n"),
      Error);
  EXPECT_EQ(output("processed_sales_data.csv"), before);
}

TEST_F(Etl, MaxRejectsAndFailOnRejectsMakeRejectsFatal) {
  const std::string sales =
      "sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
      "1,P1,C1,,1,2023-01-02\n"
      "2,P1,C1,10,1,2023-01-02\n";
  options_.max_rejects = RejectLimit::parse("40%");
  EXPECT_THROW(run(sales), Error);
  options_.max_rejects = RejectLimit::parse("1");
  EXPECT_NO_THROW(run(sales));
  options_.max_rejects.reset();
  options_.fail_on_rejects = true;
  EXPECT_THROW(run(sales), Error);
}

TEST(RejectLimit, ParsesCountsAndPercentages) {
  EXPECT_TRUE(RejectLimit::parse("5").exceeded(6, 100));
  EXPECT_FALSE(RejectLimit::parse("5").exceeded(5, 100));
  EXPECT_TRUE(RejectLimit::parse("2.5%").exceeded(3, 100));
  EXPECT_FALSE(RejectLimit::parse("2.5%").exceeded(2, 100));
  EXPECT_THROW(RejectLimit::parse("x"), Error);
  EXPECT_THROW(RejectLimit::parse("101%"), Error);
  EXPECT_THROW(RejectLimit::parse(""), Error);
}

TEST(Accounting, NamesTheGapWhenItDoesNotHold) {
  EtlCounts counts;
  counts.sales_read = 10;
  counts.sales_loaded = 8;
  counts.sales_rejected = 1;
  try {
    check_accounting(counts, 8);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Internal);
    EXPECT_NE(std::string(error.what()).find("read 10 != loaded 8 + rejected 1"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace salespipe::pipeline
