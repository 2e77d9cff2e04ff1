#include "io/http/batch.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sync_test_support.hpp"

namespace salespipe::io::http {
namespace {
using test::customer_rows;
using test::CustomerRow;
using test::to_table;

TEST(ExactMoneyText, HasTwoDecimalsWhenTheAmountIsWholeCents) {
  EXPECT_EQ(exact_money_text(Money{1'234'500}), "123.45");
  EXPECT_EQ(exact_money_text(Money{70'000}), "7.00");
  EXPECT_EQ(exact_money_text(Money{0}), "0.00");
  EXPECT_EQ(exact_money_text(Money{1'000}), "0.10");
}

TEST(ExactMoneyText, KeepsSubCentDigitsInsteadOfRounding) {
  EXPECT_EQ(exact_money_text(Money{1'250}), "0.125");
  EXPECT_EQ(exact_money_text(Money{31'416}), "3.1416");
  EXPECT_EQ(exact_money_text(Money{1'234'567}), "123.4567");
  EXPECT_EQ(exact_money_text(Money{1}), "0.0001");
}

TEST(ExactMoneyText, HandlesNegativeAndExtremeAmounts) {
  EXPECT_EQ(exact_money_text(Money{-15'000}), "-1.50");
  EXPECT_EQ(exact_money_text(Money{-31'416}), "-3.1416");
  EXPECT_EQ(exact_money_text(Money{std::numeric_limits<std::int64_t>::max()}),
            "922337203685477.5807");
  EXPECT_EQ(exact_money_text(Money{std::numeric_limits<std::int64_t>::min()}),
            "-922337203685477.5808");
}

TEST(CustomerFingerprint, Is32LowercaseHexDigits) {
  const ExportCustomers customers = to_table(customer_rows(1));
  for (const SyncFields fields : {SyncFields::Segment, SyncFields::All}) {
    const std::string fingerprint = customer_fingerprint(customers, 0, fields);
    EXPECT_EQ(fingerprint.size(), 32u);
    EXPECT_EQ(fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos) << fingerprint;
  }
}

TEST(CustomerFingerprint, SegmentModeSeesOnlyTheSegment) {
  std::vector<CustomerRow> rows = customer_rows(2);
  const ExportCustomers before = to_table(rows);
  rows[0].total_purchase_amount.units += 10'000;
  rows[0].purchase_frequency += 1;
  rows[0].avg_transaction_value += 0.5;
  rows[0].recency_days += 3;
  const ExportCustomers features_changed = to_table(rows);
  EXPECT_EQ(customer_fingerprint(before, 0, SyncFields::Segment),
            customer_fingerprint(features_changed, 0, SyncFields::Segment));
  rows[0].segment = "VIP";
  const ExportCustomers segment_changed = to_table(rows);
  EXPECT_NE(customer_fingerprint(before, 0, SyncFields::Segment),
            customer_fingerprint(segment_changed, 0, SyncFields::Segment));
}

TEST(CustomerFingerprint, AllModeSeesEveryExportedField) {
  const std::vector<CustomerRow> original = customer_rows(1);
  const std::string base = customer_fingerprint(to_table(original), 0, SyncFields::All);
  const std::vector<void (*)(CustomerRow&)> changes = {
      [](CustomerRow& row) { row.segment = "VIP"; },
      [](CustomerRow& row) { row.total_purchase_amount.units += 1; },
      [](CustomerRow& row) { row.purchase_frequency += 1; },
      [](CustomerRow& row) {
        row.avg_transaction_value = std::nextafter(row.avg_transaction_value, 1e9);
      },
      [](CustomerRow& row) { row.recency_days += 1; },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    std::vector<CustomerRow> rows = original;
    changes[i](rows[0]);
    EXPECT_NE(customer_fingerprint(to_table(rows), 0, SyncFields::All), base) << "change " << i;
  }
}

TEST(CustomerFingerprint, TheClusterIsNotAnExportedField) {
  ExportCustomers customers = to_table(customer_rows(1));
  const std::string base = customer_fingerprint(customers, 0, SyncFields::All);
  customers.cluster[0] = 7;
  EXPECT_EQ(customer_fingerprint(customers, 0, SyncFields::All), base);
}

TEST(CustomerFingerprint, DiffersBetweenModes) {
  const ExportCustomers customers = to_table(customer_rows(1));
  EXPECT_NE(customer_fingerprint(customers, 0, SyncFields::Segment),
            customer_fingerprint(customers, 0, SyncFields::All));
}

TEST(CustomerFingerprint, FieldBoundariesCannotBeShifted) {
  // "AB" + "C" and "A" + "BC" must not encode alike.
  std::vector<CustomerRow> rows = customer_rows(2);
  rows[0].customer_id = "AB";
  rows[0].segment = "C";
  rows[1] = rows[0];
  rows[1].customer_id = "A";
  rows[1].segment = "BC";
  const ExportCustomers customers = to_table(rows);
  EXPECT_NE(customer_fingerprint(customers, 0, SyncFields::All),
            customer_fingerprint(customers, 1, SyncFields::All));
}

TEST(BatchKey, DependsOnContentAndPreviousStateOnly) {
  const ExportCustomers customers = to_table(customer_rows(4));
  const std::vector<std::size_t> rows = {0, 2, 3};
  const std::vector<std::string_view> never = {"", "", ""};
  const std::string key = batch_key(customers, rows, never);
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(batch_key(customers, rows, never), key);
  // The same customers after another state: a different transition, a different key.
  const std::vector<std::string_view> after = {"", "0123456789abcdef0123456789abcdef", ""};
  EXPECT_NE(batch_key(customers, rows, after), key);
  // Other customers, or the same in another order.
  EXPECT_NE(
      batch_key(customers, std::vector<std::size_t>{0, 2}, std::vector<std::string_view>{"", ""}),
      key);
  EXPECT_NE(batch_key(customers, std::vector<std::size_t>{3, 2, 0}, never), key);
}

TEST(BatchKey, ChangesWithAnyFieldOfTheBody) {
  std::vector<CustomerRow> rows = customer_rows(1);
  const std::vector<std::size_t> only = {0};
  const std::vector<std::string_view> never = {""};
  const std::string key = batch_key(to_table(rows), only, never);
  rows[0].recency_days += 1;
  EXPECT_NE(batch_key(to_table(rows), only, never), key);
}

TEST(BatchBody, HoldsTheBatchIdAndEveryFieldOfEachCustomer) {
  std::vector<CustomerRow> rows = customer_rows(3);
  rows[1] = CustomerRow{.customer_id = "C\"7\"",
                        .segment = "VIP",
                        .total_purchase_amount = Money{1'234'567},
                        .purchase_frequency = 3,
                        .avg_transaction_value = 41.5,
                        .recency_days = 12};
  const ExportCustomers customers = to_table(rows);
  const std::vector<std::size_t> batch = {1};
  EXPECT_EQ(batch_body(customers, batch, "k1", "2024-03-01T12:00:00Z"),
            R"({
  "batch_id": "k1",
  "customers": [
    {
      "customer_id": "C\"7\"",
      "segment": "VIP",
      "total_purchase_amount": "123.4567",
      "purchase_frequency": 3,
      "avg_transaction_value": 41.5,
      "recency_days": 12,
      "updated_at": "2024-03-01T12:00:00Z"
    }
  ]
}
)");
}

TEST(BatchBody, ListsTheCustomersInTheGivenOrder) {
  const ExportCustomers customers = to_table(customer_rows(5));
  const std::vector<std::size_t> batch = {4, 0, 2};
  const test::SentBatch sent =
      test::parse_batch(batch_body(customers, batch, "key", "2024-03-01T12:00:00Z"));
  ASSERT_EQ(sent.customers.size(), 3u);
  EXPECT_EQ(sent.batch_id, "key");
  EXPECT_EQ(sent.customers[0].customer_id, "C00005");
  EXPECT_EQ(sent.customers[1].customer_id, "C00001");
  EXPECT_EQ(sent.customers[2].customer_id, "C00003");
  EXPECT_EQ(sent.customers[0].avg_transaction_value, customers.avg_transaction_value[4]);
}

TEST(BatchBody, AnEmptyBatchIsAnEmptyArray) {
  const ExportCustomers customers = to_table(customer_rows(1));
  EXPECT_EQ(batch_body(customers, std::vector<std::size_t>{}, "k", "2024-03-01T12:00:00Z"),
            "{\n  \"batch_id\": \"k\",\n  \"customers\": []\n}\n");
}

}  // namespace
}  // namespace salespipe::io::http
