#pragma once

// Customers to sync and the JSON bodies read back, for the HTTP sync tests and benchmark.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/export_tables.hpp"

namespace salespipe::io::http::test {

/// One customer as a row, so tests can change a field and rebuild the table.
struct CustomerRow {
  std::string customer_id;
  std::string segment;
  Money total_purchase_amount;
  std::int64_t purchase_frequency = 0;
  double avg_transaction_value = 0;
  std::int64_t recency_days = 0;
};

/// `count` customers C00001, C00002, ... ; every fourth is VIP, the rest Regular; amounts with
/// cents (and every seventh with sub-cent digits).
std::vector<CustomerRow> customer_rows(std::size_t count);
/// The rows as the export table.
ExportCustomers to_table(const std::vector<CustomerRow>& rows);

/// One customer as a body carried it.
struct SentCustomer {
  std::string customer_id;
  std::string segment;
  std::string total_purchase_amount;
  std::int64_t purchase_frequency = 0;
  double avg_transaction_value = 0;
  std::int64_t recency_days = 0;
  std::string updated_at;
};

/// One body read back.
struct SentBatch {
  std::string batch_id;
  std::vector<SentCustomer> customers;
};

/// Parses a batch body with simdjson; fails the current test (and returns what it read) when the
/// body is not valid JSON of the documented shape, including unexpected keys.
SentBatch parse_batch(std::string_view body);

/// The customer ids of a body, in order.
std::vector<std::string> ids_of(std::string_view body);

}  // namespace salespipe::io::http::test
