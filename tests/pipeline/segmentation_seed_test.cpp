// On the lab's sample, the segmentation is scikit-learn's: the golden labels and inertia in
// tests/golden/seed/segments/ come from tools/kmeans_reference.py (re-checked by ctest).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "pipeline/etl.hpp"
#include "pipeline/segmentation.hpp"
#include "testing/testing.hpp"

namespace salespipe::pipeline {
namespace {
namespace fs = std::filesystem;

TEST(SegmentationOnSeed, EqualsScikitLearnCustomerByCustomer) {
  SALESPIPE_REQUIRE_SEED();
  testing::TempDir dir;
  EtlOptions etl;
  etl.sales = testing::seed_dir() / "sale_price.csv";
  etl.feedback = testing::seed_dir() / "customer_feedback.json";
  etl.out = dir.path();
  etl.now_utc = [] { return std::string("2026-01-01T00:00:00Z"); };
  const EtlResult loaded = run_etl(etl);
  SegmentOptions options;
  options.out = dir.path();
  const SegmentResult result = segment_tables(options, loaded.sales);

  const fs::path golden = fs::path(SALESPIPE_GOLDEN_DIR) / "seed/segments";
  // One digit per customer, in customer_id order (the order both sides cluster in).
  std::string labels = testing::read_file(golden / "labels.txt");
  while (!labels.empty() && (labels.back() == '\n' || labels.back() == '\r')) {
    labels.pop_back();
  }
  double expected_inertia = 0;
  std::istringstream expected(testing::read_file(golden / "expected.txt"));
  for (std::string line; std::getline(expected, line);) {
    if (line.rfind("inertia ", 0) == 0) {
      expected_inertia = std::stod(line.substr(8));
    }
  }

  const auto& s = result.segmentation;
  ASSERT_EQ(s.customers(), labels.size());
  for (std::size_t i = 0; i < s.customers(); ++i) {
    const std::string id(loaded.sales.customers.name(s.customer[i]));
    if (i > 0) {
      EXPECT_LT(std::string(loaded.sales.customers.name(s.customer[i - 1])), id);
    }
    EXPECT_EQ(s.cluster[i], labels[i] - '0') << id;
  }
  EXPECT_NEAR(s.inertia, expected_inertia, 1e-6 * expected_inertia);
  // The VIP segment is the cluster with the higher mean spend.
  EXPECT_GT(s.mean_total_purchase_amount[static_cast<std::size_t>(s.vip_cluster)],
            s.mean_total_purchase_amount[static_cast<std::size_t>(1 - s.vip_cluster)]);
}

}  // namespace
}  // namespace salespipe::pipeline
