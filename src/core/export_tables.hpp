#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "core/tables.hpp"

namespace salespipe {

/// The customer table the reverse-ETL destinations receive: one row per segmented customer,
/// keyed by customer_id (unique), in customer_id order.
struct ExportCustomers {
  StringColumn customer_id;
  StringColumn segment;
  std::vector<Money> total_purchase_amount;
  std::vector<std::int64_t> purchase_frequency;
  std::vector<double> avg_transaction_value;
  std::vector<std::int64_t> recency_days;
  std::vector<std::int32_t> cluster;

  std::size_t size() const noexcept { return customer_id.size(); }
};

/// Everything an export may send: the customers, and for file and database destinations the
/// enriched sales (each sale with its customer's segment) and the report's top products.
struct ExportData {
  ExportCustomers customers;
  const SalesTable* sales = nullptr;             ///< may be null (HTTP needs only customers)
  std::vector<std::string> segment_of_customer;  ///< by the sales table's customer code
  std::vector<std::string> top_products_header;  ///< the Summary sheet: header ...
  std::vector<std::vector<std::string>> top_products_rows;  ///< ... and formatted rows
  std::string period_label;                                 ///< e.g. "2023 Q1"
};

}  // namespace salespipe
