// `salespipe export` from the warehouse files: XLSX and SQLite destinations, the sync log, and
// what happens without a segmentation.
#include "pipeline/export.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/sql/state_db.hpp"
#include "pipeline/etl.hpp"
#include "pipeline/segmentation.hpp"
#include "testing/testing.hpp"

namespace salespipe::pipeline {
namespace {
namespace fs = std::filesystem;
using testing::TempDir;
using testing::write_file;

constexpr std::string_view kNow = "2026-01-01T00:00:00Z";

class Export : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_ / "sales.csv",
               "sale_id,product_id,customer_id,sale_price,quantity,sale_date\n"
               "1,P1,C1,1000,1,2023-01-02\n"
               "2,P1,C1,1000,1,2023-01-03\n"
               "3,P1,C2,900,2,2023-01-04\n"
               "4,P2,C3,10,1,2023-01-05\n"
               "5,P2,C4,12,1,2023-01-06\n");
    write_file(dir_ / "feedback.json",
               R"([{"customer_id": "C1", "product_id": "P1", "sentiment_score": 4, )"
               R"("review_date": "2023-01-05"}])");
    EtlOptions etl;
    etl.sales = dir_ / "sales.csv";
    etl.feedback = dir_ / "feedback.json";
    etl.out = dir_.path();
    etl.now_utc = [] { return std::string(kNow); };
    run_etl(etl);
  }
  ExportOptions options(std::vector<std::string> destinations) {
    ExportOptions result;
    result.out = dir_.path();
    result.targets.destinations = std::move(destinations);
    result.targets.sqlite_path = dir_ / "crm.sqlite";
    result.now_utc = [] { return std::string(kNow); };
    return result;
  }
  void segment() {
    SegmentOptions segment_options;
    segment_options.out = dir_.path();
    segment_from_files(segment_options);
  }

  TempDir dir_;
};

TEST_F(Export, WithoutSegmentsAsksForTheSegmentStage) {
  try {
    export_from_files(options({"xlsx"}));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_NE(std::string(error.what()).find("run `salespipe segment` first"), std::string::npos);
  }
}

TEST_F(Export, WritesTheWorkbookAndLogsTheSync) {
  segment();
  const auto outcomes = export_from_files(options({"xlsx"}));
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].summary, "5 sales, 4 customers, 0 top products");
  EXPECT_TRUE(fs::exists(dir_ / "data_warehouse/processed_sales_data_with_vip.xlsx"));
  const auto state = io::sql::StateDb::open(dir_ / "data_warehouse/state.sqlite");
  const auto runs = state.sync_runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].destination, "xlsx");
  EXPECT_FALSE(runs[0].error);
}

TEST_F(Export, SqliteUpsertIsIdempotent) {
  segment();
  const auto first = export_from_files(options({"sqlite"}));
  EXPECT_EQ(first.at(0).summary,
            "4 customers: 4 inserted, 0 updated, 0 unchanged; sales: 5 inserted, 0 updated, 0 "
            "unchanged");
  const auto second = export_from_files(options({"sqlite"}));
  EXPECT_EQ(second.at(0).summary,
            "4 customers: 0 inserted, 0 updated, 4 unchanged; sales: 0 inserted, 0 updated, 5 "
            "unchanged");
}

TEST_F(Export, DestinationsNeedTheirAddress) {
  segment();
  EXPECT_THROW(export_from_files(options({"postgres"})), Error);
  EXPECT_THROW(export_from_files(options({"http"})), Error);
}

}  // namespace
}  // namespace salespipe::pipeline
