// The segment stage as `salespipe segment` runs it: from the warehouse files to the segment
// outputs, the manifest section and the warehouse table.
#include "pipeline/segmentation.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "pipeline/etl.hpp"
#include "testing/testing.hpp"

namespace salespipe::pipeline {
namespace {
namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

class Segmentation : public ::testing::Test {
 protected:
  void etl(std::string_view sales) {
    write_file(dir_ / "sales.csv", sales);
    write_file(dir_ / "feedback.json",
               R"([{"customer_id": "C1", "product_id": "P1", "sentiment_score": 4, )"
               R"("review_date": "2023-01-05"}])");
    EtlOptions options;
    options.sales = dir_ / "sales.csv";
    options.feedback = dir_ / "feedback.json";
    options.out = dir_.path();
    options.now_utc = [] { return std::string("2026-01-01T00:00:00Z"); };
    run_etl(options);
  }
  SegmentResult segment(int k = 2) {
    SegmentOptions options;
    options.out = dir_.path();
    options.segment.k = k;
    return segment_from_files(options);
  }

  TempDir dir_;
};

constexpr std::string_view kSales =
    "sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
    "1,P1,C1,1000,1,2023-01-02\n"
    "2,P1,C1,1000,1,2023-01-03\n"
    "3,P1,C2,900,2,2023-01-04\n"
    "4,P2,C3,10,1,2023-01-05\n"
    "5,P2,C4,12,1,2023-01-06\n"
    "6,P2,C5,11,1,2023-01-07\n";

TEST_F(Segmentation, BigSpendersAreVipAndEveryOutputIsWritten) {
  etl(kSales);
  const SegmentResult result = segment();
  EXPECT_EQ(result.segmentation.customers(), 5u);
  const std::string csv = read_file(warehouse_dir(dir_.path()) / "customer_segments.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "customer_id,total_purchase_amount,purchase_frequency,avg_transaction_value,"
            "recency_days,scaled_total_purchase_amount,scaled_purchase_frequency,"
            "scaled_avg_transaction_value,cluster,segment,distance");
  EXPECT_NE(csv.find("\nC1,2000.00,2,1000.00,4,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",VIP,"), std::string::npos);
  for (const char* vip : {"C1", "C2"}) {
    EXPECT_NE(csv.find(std::string("\n") + vip + ","), std::string::npos);
  }
  ASSERT_EQ(result.vip_table_rows.size(), 2u);
  EXPECT_EQ(result.vip_table_rows[0][0], "C1");
  EXPECT_EQ(result.vip_table_rows[1][0], "C2");
  const std::string with_vip =
      read_file(warehouse_dir(dir_.path()) / "processed_sales_data_with_vip.csv");
  EXPECT_NE(with_vip.find("review_date,segment\n"), std::string::npos);
  EXPECT_NE(with_vip.find("\n4,P2,C3,10.00,1,2023-01-05,10.00,,,Non-VIP\n"), std::string::npos)
      << with_vip;
}

TEST_F(Segmentation, ManifestGetsOneSegmentationSectionAndKeepsTheRest) {
  etl(kSales);
  const std::string before = read_file(warehouse_dir(dir_.path()) / "run_manifest.json");
  segment();
  const SegmentResult result = segment(3);
  const std::string after = read_file(warehouse_dir(dir_.path()) / "run_manifest.json");
  EXPECT_EQ(result.manifest_json, after);
  EXPECT_EQ(after.substr(0, before.size() - 3),
            before.substr(0, before.size() - 3));  // all but "\n}\n"
  const auto first = after.find("\"segmentation\"");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(after.find("\"segmentation\"", first + 1), std::string::npos);
  EXPECT_NE(after.find("\"k\": 3"), std::string::npos);
  EXPECT_EQ(after.substr(after.size() - 2), "}\n");
}

TEST_F(Segmentation, FewerCustomersThanSegmentsIsBadInput) {
  etl(kSales);
  try {
    segment(6);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input) << error.what();
  }
}

TEST_F(Segmentation, WithoutAWarehouseAsksForEtlFirst) {
  try {
    segment();
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_NE(std::string(error.what()).find("run `salespipe etl` first"), std::string::npos);
  }
}

}  // namespace
}  // namespace salespipe::pipeline
