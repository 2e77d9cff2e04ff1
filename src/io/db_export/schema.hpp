#pragma once

// What both database destinations share, private to io/db_export: the two tables' columns, the
// checks done before anything is sent, cell formatting and one walk over each table's cells.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "core/export_tables.hpp"
#include "core/money.hpp"
#include "io/db_export/db_export.hpp"

namespace salespipe::io::db_export::detail {

/// The value kinds a column holds; each dialect names its own SQL type for them.
enum class ColumnType { Text, Money, BigInt, Integer, Double, Date };

struct ColumnSpec {
  std::string_view name;
  ColumnType type;
  bool nullable;
};

/// The customers table without updated_at; the first column is the primary key.
inline constexpr std::array<ColumnSpec, 7> kCustomerColumns = {{
    {"customer_id", ColumnType::Text, false},
    {"segment", ColumnType::Text, false},
    {"total_purchase_amount", ColumnType::Money, false},
    {"purchase_frequency", ColumnType::BigInt, false},
    {"avg_transaction_value", ColumnType::Double, false},
    {"recency_days", ColumnType::BigInt, false},
    {"cluster", ColumnType::Integer, false},
}};

/// The sales table without updated_at; the first column is the primary key.
inline constexpr std::array<ColumnSpec, 10> kSalesColumns = {{
    {"sale_id", ColumnType::Text, false},
    {"product_id", ColumnType::Text, false},
    {"customer_id", ColumnType::Text, false},
    {"sale_price", ColumnType::Money, false},
    {"quantity", ColumnType::BigInt, false},
    {"sale_date", ColumnType::Date, false},
    {"total_revenue", ColumnType::Money, false},
    {"sentiment_score", ColumnType::Double, true},
    {"review_date", ColumnType::Date, true},
    {"segment", ColumnType::Text, false},
}};

inline constexpr std::string_view kUpdatedAt = "updated_at";

/// Everything checked before a connection is opened: the options (Error{Usage}), the shape of
/// the data (Error{Internal}), keys present and unique and doubles finite (Error{Input}).
/// With `text_without_nul`, a NUL byte in any text value is Error{Input} too (PostgreSQL text
/// cannot hold one).
void check_export(const ExportData& data, const DbExportOptions& options, bool text_without_nul);

/// `name` in double quotes. Only for names that passed is_valid_table_name or our own column
/// names, which hold no quote to double.
std::string quote(std::string_view name);

/// The exact decimal with four places, as PostgreSQL prints NUMERIC(20,4): Money{1'505'000}
/// -> "150.5000", Money{-5} -> "-0.0005".
void append_money_exact(std::string& out, Money amount);

/// The shortest text that reads back as the same double (std::to_chars).
void append_double(std::string& out, double value);

void append_int(std::string& out, std::int64_t value);

/// Calls sink.text(string_view), sink.money(Money), sink.integer(int64_t), sink.real(double),
/// sink.date(Date) or sink.null() for each cell of customer `row`, in kCustomerColumns order.
template <class Sink>
void visit_customer(const ExportCustomers& customers, std::size_t row, Sink& sink) {
  sink.text(customers.customer_id[row]);
  sink.text(customers.segment[row]);
  sink.money(customers.total_purchase_amount[row]);
  sink.integer(customers.purchase_frequency[row]);
  sink.real(customers.avg_transaction_value[row]);
  sink.integer(customers.recency_days[row]);
  sink.integer(customers.cluster[row]);
}

/// The same for sale `row`, in kSalesColumns order; the segment is its customer's.
template <class Sink>
void visit_sale(const ExportData& data, std::size_t row, Sink& sink) {
  const SalesTable& sales = *data.sales;
  sink.text(sales.sale_id[row]);
  sink.text(sales.products.name(sales.product[row]));
  sink.text(sales.customers.name(sales.customer[row]));
  sink.money(sales.sale_price[row]);
  sink.integer(sales.quantity[row]);
  sink.date(sales.sale_date[row]);
  sink.money(sales.total_revenue[row]);
  if (sales.has_review[row] != 0) {
    sink.real(sales.sentiment[row]);
    sink.date(sales.review_date[row]);
  } else {
    sink.null();
    sink.null();
  }
  sink.text(data.segment_of_customer[sales.customer[row]]);
}

}  // namespace salespipe::io::db_export::detail
