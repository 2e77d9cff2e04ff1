// The ETL on the lab's real inputs, checked against the counts of the independent pandas script
// (tools/etl_reference.py, golden file tests/golden/seed/etl_counts.json).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>

#include "core/money.hpp"
#include "pipeline/etl.hpp"
#include "testing/testing.hpp"

namespace salespipe::pipeline {
namespace {
namespace fs = std::filesystem;
using testing::read_file;
using testing::seed_dir;

class EtlOnSeed : public ::testing::Test {
 protected:
  void SetUp() override {
    SALESPIPE_REQUIRE_SEED();
    options_.sales = seed_dir() / "sale_price.csv";
    options_.feedback = seed_dir() / "customer_feedback.json";
    options_.now_utc = [] { return std::string("2026-01-01T00:00:00Z"); };
    options_.out = dir_.path();
    result_ = run_etl(options_);
    golden_json_ =
        simdjson::padded_string(read_file(fs::path(SALESPIPE_GOLDEN_DIR) / "seed/etl_counts.json"));
    golden_ = parser_.parse(golden_json_);
  }

  std::uint64_t golden(std::string_view section, std::string_view key) {
    return golden_[section][key].get_uint64().value();
  }
  std::uint64_t golden(std::string_view section, std::string_view group, std::string_view key) {
    std::uint64_t value = 0;
    if (golden_[section][group][key].get_uint64().get(value) != simdjson::SUCCESS) {
      return 0;  // the reference lists only reasons that occur
    }
    return value;
  }

  testing::TempDir dir_;
  EtlOptions options_;
  EtlResult result_;
  simdjson::padded_string golden_json_;
  simdjson::dom::parser parser_;
  simdjson::dom::element golden_;
};

TEST_F(EtlOnSeed, SalesCountsMatchThePandasReference) {
  const EtlCounts& c = result_.counts;
  EXPECT_EQ(c.sales_read, golden("sales", "read"));
  EXPECT_EQ(c.sales_loaded, golden("sales", "loaded"));
  EXPECT_EQ(c.sales_rejected, golden("sales", "rejected"));
  EXPECT_EQ(c.sales_exact_duplicates, golden("sales", "exact_duplicates"));
  EXPECT_EQ(result_.transform.sales_without_review, golden("sales", "without_review"));
  for (std::size_t i = 0; i < kReasonCount; ++i) {
    const auto reason = static_cast<Reason>(i);
    const std::uint64_t ours =
        result_.sales_quality.by_reason[i].count +
        (reason == Reason::DuplicateSaleId ? result_.transform.duplicate_sale_ids : 0);
    EXPECT_EQ(ours, golden("sales", "rejects_by_reason", reason_name(reason)))
        << reason_name(reason);
  }
}

TEST_F(EtlOnSeed, AccountingHoldsForBothInputs) {
  const EtlCounts& c = result_.counts;
  EXPECT_EQ(c.sales_read, 1000u);
  EXPECT_EQ(c.sales_read, c.sales_loaded + c.sales_rejected + c.sales_exact_duplicates +
                              c.sales_excluded_no_review);
  EXPECT_EQ(c.reviews_read, 1000u);
  EXPECT_EQ(c.reviews_read, c.reviews_valid + c.reviews_rejected);
  EXPECT_EQ(c.reviews_valid, c.reviews_latest + c.reviews_superseded);
}

TEST_F(EtlOnSeed, DateResolutionStepsMatchThePandasReference) {
  const char* steps[] = {"unambiguous",        "forced",          "range",
                         "separator_majority", "column_majority", "default_month_first"};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(result_.sales_quality.sale_date.by_step[i],
              golden("sales", "sale_date_by_step", steps[i]))
        << steps[i];
    EXPECT_EQ(result_.review_quality.review_date.by_step[i],
              golden("reviews", "review_date_by_step", steps[i]))
        << steps[i];
  }
}

TEST_F(EtlOnSeed, EveryLoadedSaleFallsIn2023Q1) {
  for (const Date date : result_.sales.sale_date) {
    EXPECT_GE(date, *make_date(2023, 1, 1));
    EXPECT_LE(date, *make_date(2023, 3, 31));
  }
}

TEST_F(EtlOnSeed, ReviewsAndRevenueMatchThePandasReference) {
  const EtlCounts& c = result_.counts;
  EXPECT_EQ(c.reviews_valid, golden("reviews", "valid"));
  EXPECT_EQ(c.reviews_rejected, golden("reviews", "rejected"));
  EXPECT_EQ(c.reviews_latest, golden("reviews", "latest"));
  EXPECT_EQ(c.reviews_superseded, golden("reviews", "superseded"));
  EXPECT_EQ(result_.transform.reviews_without_sale, golden("reviews", "without_loaded_sale"));
  Money total{};
  for (const Money revenue : result_.sales.total_revenue) {
    total = *checked_add(total, revenue);
  }
  EXPECT_EQ(format_money(total), golden_["sales"]["total_revenue"].get_string().value());
}

TEST_F(EtlOnSeed, ProcessedCsvHasOneLinePerLoadedSaleAndLabColumns) {
  const std::string csv = read_file(warehouse_dir(dir_.path()) / "processed_sales_data.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "sale_id,product_id,customer_id,sale_price,quantity,sale_date,total_revenue,"
            "sentiment_score,review_date");
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')),
            result_.counts.sales_loaded + 1);
  EXPECT_NE(csv.find("\n1001,P101,C_001,150.00,2,2023-01-15,300.00,"), std::string::npos);
}

TEST_F(EtlOnSeed, RejectsCsvListsEveryRejectedRecordSorted) {
  const std::string csv = read_file(warehouse_dir(dir_.path()) / "rejects.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "source,line,column,raw_value,reason,message");
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')),
            result_.counts.sales_rejected + result_.counts.reviews_rejected + 1);
  // 1009,P103,C_007,,2,25-02-2023 is on line 10 of the file.
  EXPECT_NE(csv.find(",10,sale_price,,missing_price,"), std::string::npos);
}

TEST_F(EtlOnSeed, RunningTwiceGivesByteIdenticalDataFiles) {
  testing::TempDir second;
  EtlOptions again = options_;
  again.out = second.path();
  run_etl(again);
  for (const char* name : {"processed_sales_data.csv", "rejects.csv"}) {
    EXPECT_EQ(read_file(warehouse_dir(dir_.path()) / name),
              read_file(warehouse_dir(second.path()) / name))
        << name;
  }
}

}  // namespace
}  // namespace salespipe::pipeline
