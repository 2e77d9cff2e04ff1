#include "sync_test_support.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace salespipe::io::http::test {

std::vector<CustomerRow> customer_rows(std::size_t count) {
  std::vector<CustomerRow> rows;
  rows.reserve(count);
  for (std::size_t i = 1; i <= count; ++i) {
    std::string id = std::to_string(i);
    id.insert(0, id.size() < 5 ? 5 - id.size() : 0, '0').insert(0, 1, 'C');
    const auto frequency = static_cast<std::int64_t>(1 + i % 9);
    // Whole cents, and sub-cent digits on every seventh customer.
    const auto units = static_cast<std::int64_t>(i * 1'234'500 + (i % 7 == 0 ? 25 : 0));
    rows.push_back(CustomerRow{.customer_id = id,
                               .segment = i % 4 == 0 ? "VIP" : "Regular",
                               .total_purchase_amount = Money{units},
                               .purchase_frequency = frequency,
                               .avg_transaction_value = static_cast<double>(units) / 10'000.0 /
                                                        static_cast<double>(frequency),
                               .recency_days = static_cast<std::int64_t>(i % 90)});
  }
  return rows;
}

ExportCustomers to_table(const std::vector<CustomerRow>& rows) {
  ExportCustomers table;
  for (const CustomerRow& row : rows) {
    table.customer_id.push_back(row.customer_id);
    table.segment.push_back(row.segment);
    table.total_purchase_amount.push_back(row.total_purchase_amount);
    table.purchase_frequency.push_back(row.purchase_frequency);
    table.avg_transaction_value.push_back(row.avg_transaction_value);
    table.recency_days.push_back(row.recency_days);
    table.cluster.push_back(row.segment == "VIP" ? 1 : 0);
  }
  return table;
}

SentBatch parse_batch(std::string_view body) {
  SentBatch batch;
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (const auto error = parser.parse(body.data(), body.size()).get(document)) {
    ADD_FAILURE() << "the body is not JSON (" << simdjson::error_message(error) << "): " << body;
    return batch;
  }
  simdjson::dom::object top;
  if (document.get_object().get(top) != simdjson::SUCCESS || top.size() != 2) {
    ADD_FAILURE() << "the body is not an object of batch_id and customers: " << body;
    return batch;
  }
  std::string_view batch_id;
  simdjson::dom::array customers;
  if (top["batch_id"].get_string().get(batch_id) != simdjson::SUCCESS ||
      top["customers"].get_array().get(customers) != simdjson::SUCCESS) {
    ADD_FAILURE() << "batch_id or customers missing or of the wrong type: " << body;
    return batch;
  }
  batch.batch_id = batch_id;
  for (const simdjson::dom::element element : customers) {
    simdjson::dom::object customer;
    SentCustomer sent;
    std::string_view id;
    std::string_view segment;
    std::string_view total;
    std::string_view updated_at;
    if (element.get_object().get(customer) != simdjson::SUCCESS || customer.size() != 7 ||
        customer["customer_id"].get_string().get(id) != simdjson::SUCCESS ||
        customer["segment"].get_string().get(segment) != simdjson::SUCCESS ||
        customer["total_purchase_amount"].get_string().get(total) != simdjson::SUCCESS ||
        customer["purchase_frequency"].get_int64().get(sent.purchase_frequency) !=
            simdjson::SUCCESS ||
        customer["avg_transaction_value"].get_double().get(sent.avg_transaction_value) !=
            simdjson::SUCCESS ||
        customer["recency_days"].get_int64().get(sent.recency_days) != simdjson::SUCCESS ||
        customer["updated_at"].get_string().get(updated_at) != simdjson::SUCCESS) {
      ADD_FAILURE() << "a customer lacks a field, has one of the wrong type or an extra one: "
                    << simdjson::to_string(element);
      return batch;
    }
    sent.customer_id = id;
    sent.segment = segment;
    sent.total_purchase_amount = total;
    sent.updated_at = updated_at;
    batch.customers.push_back(std::move(sent));
  }
  return batch;
}

std::vector<std::string> ids_of(std::string_view body) {
  std::vector<std::string> ids;
  for (const SentCustomer& customer : parse_batch(body).customers) {
    ids.push_back(customer.customer_id);
  }
  return ids;
}

}  // namespace salespipe::io::http::test
