#include "segment/features.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace salespipe::segment {
namespace {

Date day(int y, unsigned m, unsigned d) { return *make_date(y, m, d); }
Money money(double amount) { return Money{static_cast<std::int64_t>(amount * 10000 + 0.5)}; }

TEST(ComputeFeatures, SumsCountsAveragesAndRecencyPerCustomer) {
  const std::vector<std::uint32_t> customer = {2, 0, 2, 2, 0};
  const std::vector<Money> revenue = {money(300), money(225), money(250.5), money(600), money(0.1)};
  const std::vector<Date> date = {day(2023, 1, 15), day(2023, 1, 20), day(2023, 3, 2),
                                  day(2023, 2, 1), day(2023, 1, 5)};
  const auto features = compute_features(customer, revenue, date, 4, day(2023, 3, 31));
  // Customers 1 and 3 have no sale and are left out; codes ascend.
  EXPECT_EQ(features.customer, (std::vector<std::uint32_t>{0, 2}));
  EXPECT_EQ(features.total_purchase_amount, (std::vector<Money>{money(225.1), money(1150.5)}));
  EXPECT_EQ(features.purchase_frequency, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(features.avg_transaction_value, (std::vector<double>{225.1 / 2, 1150.5 / 3}));
  EXPECT_EQ(features.recency_days, (std::vector<std::int64_t>{70, 29}));
}

TEST(ComputeFeatures, TotalsAreExactWhereDoublesWouldDrift) {
  // A million sales of 0.10 sum to exactly 100000.00.
  const std::size_t n = 1'000'000;
  const std::vector<std::uint32_t> customer(n, 0);
  const std::vector<Money> revenue(n, Money{1000});
  const std::vector<Date> date(n, day(2023, 1, 1));
  const auto features = compute_features(customer, revenue, date, 1, day(2023, 1, 1));
  EXPECT_EQ(features.total_purchase_amount[0], Money{1'000'000'000});
  EXPECT_EQ(features.avg_transaction_value[0], 0.1);
  EXPECT_EQ(features.recency_days[0], 0);
}

TEST(ComputeFeatures, NoSalesGiveNoCustomers) {
  const auto features = compute_features({}, {}, {}, 3, day(2023, 1, 1));
  EXPECT_EQ(features.size(), 0u);
}

TEST(SelectRows, ReordersEveryColumnTogether) {
  const std::vector<std::uint32_t> customer = {0, 1, 2};
  const std::vector<Money> revenue = {money(10), money(20), money(30)};
  const std::vector<Date> date = {day(2023, 1, 1), day(2023, 1, 2), day(2023, 1, 3)};
  const auto features = compute_features(customer, revenue, date, 3, day(2023, 1, 3));
  const std::vector<std::size_t> rows = {2, 0};
  const auto picked = select_rows(features, rows);
  EXPECT_EQ(picked.customer, (std::vector<std::uint32_t>{2, 0}));
  EXPECT_EQ(picked.total_purchase_amount, (std::vector<Money>{money(30), money(10)}));
  EXPECT_EQ(picked.recency_days, (std::vector<std::int64_t>{0, 2}));
  EXPECT_EQ(picked.avg_transaction_value, (std::vector<double>{30.0, 10.0}));
  EXPECT_EQ(picked.purchase_frequency, (std::vector<std::int64_t>{1, 1}));
}

TEST(SelectRows, RejectsARowOutOfRange) {
  const auto features = compute_features({}, {}, {}, 0, day(2023, 1, 1));
  const std::vector<std::size_t> rows = {0};
  try {
    select_rows(features, rows);
    FAIL() << "row out of range must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Internal);
    EXPECT_EQ(error.message(), "row 0 selected from 0 customers");
  }
}

TEST(ComputeFeatures, RejectsColumnsOfDifferentLength) {
  const std::vector<std::uint32_t> customer = {0, 1};
  const std::vector<Money> revenue = {money(1)};
  const std::vector<Date> date = {day(2023, 1, 1), day(2023, 1, 1)};
  try {
    compute_features(customer, revenue, date, 2, day(2023, 1, 1));
    FAIL() << "length mismatch must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Internal);
    EXPECT_EQ(error.message(), "sales columns differ in length: 2 customers, 1 revenues, 2 dates");
  }
}

TEST(ComputeFeatures, RejectsACodeOutsideTheDictionary) {
  const std::vector<std::uint32_t> customer = {0, 5};
  const std::vector<Money> revenue = {money(1), money(2)};
  const std::vector<Date> date = {day(2023, 1, 1), day(2023, 1, 1)};
  try {
    compute_features(customer, revenue, date, 5, day(2023, 1, 1));
    FAIL() << "code out of range must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Internal);
    EXPECT_EQ(error.message(), "sale 1 has customer code 5, but there are only 5 customers");
  }
}

TEST(ComputeFeatures, RejectsASaleAfterTheAsOfDate) {
  const std::vector<std::uint32_t> customer = {0, 1};
  const std::vector<Money> revenue = {money(1), money(2)};
  const std::vector<Date> date = {day(2023, 1, 1), day(2023, 4, 2)};
  try {
    compute_features(customer, revenue, date, 2, day(2023, 3, 31));
    FAIL() << "a sale after as_of must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(error.message(),
              "a sale of customer code 1 is dated 2023-04-02, after the as-of date 2023-03-31");
  }
}

TEST(ComputeFeatures, RejectsATotalThatOverflows) {
  const std::vector<std::uint32_t> customer = {0, 0};
  const std::vector<Money> revenue = {Money{INT64_MAX - 5}, Money{10}};
  const std::vector<Date> date = {day(2023, 1, 1), day(2023, 1, 1)};
  try {
    compute_features(customer, revenue, date, 1, day(2023, 1, 1));
    FAIL() << "overflow must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(error.message(), "the total purchase amount of customer code 0 overflows");
  }
}

}  // namespace
}  // namespace salespipe::segment
