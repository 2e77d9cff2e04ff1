#include "segment/segment.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "golden_case.hpp"

namespace salespipe::segment {
namespace {

struct Customer {
  double total;
  std::int64_t frequency;
  std::int64_t recency = 0;
};

CustomerFeatures make_features(const std::vector<Customer>& customers) {
  CustomerFeatures features;
  for (std::size_t i = 0; i < customers.size(); ++i) {
    const Money total{static_cast<std::int64_t>(std::llround(customers[i].total * 10000))};
    features.customer.push_back(static_cast<std::uint32_t>(10 + i));
    features.total_purchase_amount.push_back(total);
    features.purchase_frequency.push_back(customers[i].frequency);
    features.avg_transaction_value.push_back(to_double(total) /
                                             static_cast<double>(customers[i].frequency));
    features.recency_days.push_back(customers[i].recency);
  }
  return features;
}

// Six ordinary customers and two big spenders.
const std::vector<Customer> kShop = {{120, 2, 30}, {90, 1, 5},    {150, 3, 60}, {2400, 12, 2},
                                     {80, 2, 12},  {3100, 15, 1}, {60, 1, 80},  {110, 2, 44}};

std::string error_message(const CustomerFeatures& features, const Options& options,
                          ErrorKind expected_kind) {
  try {
    segment_customers(features, options);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), expected_kind);
    return error.message();
  }
  ADD_FAILURE() << "segment_customers did not throw";
  return {};
}

TEST(SegmentCustomers, VipIsTheClusterWithTheHighestMeanTotal) {
  const auto result = segment_customers(make_features(kShop), Options{});
  ASSERT_EQ(result.customers(), 8u);
  EXPECT_EQ(result.customer.front(), 10u);
  for (std::size_t i = 0; i < kShop.size(); ++i) {
    const bool big = kShop[i].total > 1000;
    EXPECT_EQ(result.is_vip(i), big) << "customer " << i;
    EXPECT_EQ(result.segment_of(i), big ? "VIP" : "Non-VIP");
  }
  const auto vip = static_cast<std::size_t>(result.vip_cluster);
  EXPECT_EQ(result.size[vip], 2u);
  EXPECT_EQ(result.total_purchase_amount[vip], Money{55'000'000});
  EXPECT_EQ(result.mean_total_purchase_amount[vip], 2750.0);
  EXPECT_EQ(result.tier[vip], 0);
  EXPECT_EQ(result.tier[1 - vip], 1);
}

TEST(SegmentCustomers, CentresInOriginalUnitsAreTheClusterMeans) {
  const auto result = segment_customers(make_features(kShop), Options{});
  const auto vip = static_cast<std::size_t>(result.vip_cluster);
  EXPECT_EQ(result.feature_names,
            (std::vector<std::string>{"total_purchase_amount", "purchase_frequency",
                                      "avg_transaction_value"}));
  EXPECT_NEAR(result.centers(vip, 0), 2750.0, 1e-9);
  EXPECT_NEAR(result.centers(vip, 1), 13.5, 1e-12);
  EXPECT_NEAR(result.centers(vip, 2), (200.0 + 3100.0 / 15) / 2, 1e-9);
  EXPECT_NEAR(result.centers(1 - vip, 1), 11.0 / 6, 1e-12);
}

TEST(SegmentCustomers, DistanceIsToTheOwnCentreInScaledUnits) {
  const auto result = segment_customers(make_features(kShop), Options{});
  double inertia = 0;
  for (std::size_t i = 0; i < result.customers(); ++i) {
    const auto c = static_cast<std::size_t>(result.cluster[i]);
    double squared = 0;
    for (std::size_t f = 0; f < result.scaled.cols; ++f) {
      const double diff = result.scaled(i, f) - result.centers_scaled(c, f);
      squared += diff * diff;
    }
    EXPECT_NEAR(result.distance[i], std::sqrt(squared), 1e-15);
    inertia += squared;
  }
  EXPECT_NEAR(result.inertia, inertia, 1e-12);
}

TEST(SegmentCustomers, TiersFollowTheMeanTotalWithGivenNames) {
  Options options;
  options.k = 3;
  options.tier_names = {"Gold", "Silver", "Bronze"};
  const std::vector<Customer> shop = {{10, 1},  {12, 1},    {11, 1},    {500, 5},  {520, 5},
                                      {480, 4}, {5000, 20}, {5200, 21}, {4900, 19}};
  const auto result = segment_customers(make_features(shop), options);
  for (std::size_t i = 0; i < shop.size(); ++i) {
    const std::string expected = i < 3 ? "Bronze" : i < 6 ? "Silver" : "Gold";
    EXPECT_EQ(result.segment_of(i), expected) << "customer " << i;
  }
  EXPECT_EQ(result.segment_name[static_cast<std::size_t>(result.vip_cluster)], "Gold");
  ASSERT_TRUE(result.silhouette);
  EXPECT_GT(*result.silhouette, 0.9);
}

TEST(SegmentCustomers, RecencyBecomesAFourthFeature) {
  Options options;
  options.use_recency = true;
  const auto result = segment_customers(make_features(kShop), options);
  EXPECT_EQ(result.scaled.cols, 4u);
  EXPECT_EQ(result.feature_names.back(), "recency_days");
  EXPECT_EQ(result.scaled(6, 3), 1.0);  // 80 days, the longest
  EXPECT_EQ(result.scaled(5, 3), 0.0);  // 1 day, the shortest
}

TEST(SegmentCustomers, SameResultsWhateverTheThreadCount) {
  const auto golden = testing::load_case("overlapping_k3_8k");
  Options options;
  options.k = 3;
  options.silhouette_sample_size = 1500;  // keep the quadratic silhouette small here
  options.threads = 1;
  const auto one = segment_customers(golden.features, options);
  options.threads = 3;
  const auto three = segment_customers(golden.features, options);
  EXPECT_EQ(one.cluster, three.cluster);
  EXPECT_EQ(one.inertia, three.inertia);
  EXPECT_EQ(one.centers.values, three.centers.values);
  EXPECT_EQ(one.distance, three.distance);
  EXPECT_EQ(one.silhouette, three.silhouette);
  EXPECT_TRUE(one.silhouette_sampled);
  EXPECT_EQ(one.silhouette_rows, 1500u);
}

TEST(SegmentCustomers, RejectsNoCustomers) {
  EXPECT_EQ(error_message(CustomerFeatures{}, Options{}, ErrorKind::Input),
            "no customers to segment: no sale was loaded");
}

TEST(SegmentCustomers, RejectsASingleCustomer) {
  EXPECT_EQ(error_message(make_features({{100, 2}}), Options{}, ErrorKind::Input),
            "only one customer (code 10) has sales; segmentation needs at least 2 customers");
}

TEST(SegmentCustomers, RejectsFewerCustomersThanSegments) {
  Options options;
  options.k = 4;
  EXPECT_EQ(error_message(make_features({{100, 2}, {50, 1}, {70, 1}}), options, ErrorKind::Input),
            "cannot form 4 segments from 3 customers; k must not exceed the number of "
            "customers");
}

TEST(SegmentCustomers, RejectsIdenticalCustomers) {
  EXPECT_EQ(error_message(make_features({{100, 2, 3}, {100, 2, 3}, {100, 2, 3}}), Options{},
                          ErrorKind::Input),
            "all 3 customers have identical features, so they cannot be split into 2 segments");
}

TEST(SegmentCustomers, RecencyCanMakeIdenticalCustomersDistinct) {
  Options options;
  options.use_recency = true;
  const auto result =
      segment_customers(make_features({{100, 2, 3}, {100, 2, 3}, {100, 2, 40}}), options);
  EXPECT_EQ(result.cluster[0], result.cluster[1]);
  EXPECT_NE(result.cluster[0], result.cluster[2]);
}

TEST(SegmentCustomers, RejectsFewerDistinctCustomersThanSegments) {
  Options options;
  options.k = 3;
  EXPECT_EQ(error_message(make_features({{100, 2}, {100, 2}, {30, 1}, {30, 1}}), options,
                          ErrorKind::Input),
            "only 2 of 4 customers have distinct features, too few for 3 segments");
}

TEST(SegmentCustomers, RejectsNonFiniteFeatures) {
  auto features = make_features(kShop);
  features.avg_transaction_value[3] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(error_message(features, Options{}, ErrorKind::Input),
            "customer code 13 has avg_transaction_value = nan; features must be finite numbers");
  features.avg_transaction_value[3] = std::numeric_limits<double>::infinity();
  EXPECT_EQ(error_message(features, Options{}, ErrorKind::Input),
            "customer code 13 has avg_transaction_value = inf; features must be finite numbers");
}

TEST(SegmentCustomers, RejectsColumnsOfDifferentLength) {
  auto features = make_features(kShop);
  features.recency_days.pop_back();
  EXPECT_EQ(error_message(features, Options{}, ErrorKind::Internal),
            "customer feature columns differ in length");
}

TEST(SegmentOptions, DefaultNames) {
  EXPECT_EQ(Options{}.names(), (std::vector<std::string>{"VIP", "Non-VIP"}));
  Options four;
  four.k = 4;
  EXPECT_EQ(four.names(), (std::vector<std::string>{"VIP", "Tier 2", "Tier 3", "Tier 4"}));
}

TEST(SegmentOptions, RejectsBadSettingsByName) {
  const auto message = [](const Options& options) {
    try {
      options.validate();
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Usage);
      return error.message();
    }
    return std::string("no error");
  };
  Options options;
  options.k = 1;
  EXPECT_EQ(message(options),
            "k must be at least 2 (one segment would make every customer VIP), got 1");
  options = Options{};
  options.n_init = 0;
  EXPECT_EQ(message(options), "n_init must be at least 1, got 0");
  options = Options{};
  options.seed = 1ULL << 32;
  EXPECT_EQ(message(options), "seed must be between 0 and 4294967295, got 4294967296");
  options = Options{};
  options.tier_names = {"VIP"};
  EXPECT_EQ(message(options), "1 tier names given for k = 2 segments");
  options.tier_names = {"VIP", ""};
  EXPECT_EQ(message(options), "tier names must not be empty");
  options.tier_names = {"VIP", "VIP"};
  EXPECT_EQ(message(options), "tier name \"VIP\" is given twice");
  options = Options{};
  options.silhouette_sample_size = 1;
  EXPECT_EQ(message(options), "silhouette sample size must be at least 2, got 1");
  EXPECT_EQ(message(Options{}), "no error");
}

}  // namespace
}  // namespace salespipe::segment
