#pragma once

#include <cstddef>
#include <memory>

#include "core/export_tables.hpp"
#include "core/tables.hpp"

namespace salespipe::io::xlsx::testing {

/// A small export with every kind of value: four hand-made sales (C1 is VIP; S2 has no review;
/// the "note" extra column holds formula-like text "=1+1", "+SUM(A1:A2)", "-2", "@cmd"), then
/// `extra_sales` generated ones (S5, S6, ...), three customers and a Summary of three products.
/// data.sales points into the same object, so it is not copyable.
struct SampleExport {
  SalesTable sales;
  ExportData data;

  SampleExport() = default;
  SampleExport(const SampleExport&) = delete;
  SampleExport& operator=(const SampleExport&) = delete;
};

std::unique_ptr<SampleExport> make_sample(std::size_t extra_sales = 0);

/// Appends one sale to the table (customer and product given by name, interned on first use).
void add_sale(SalesTable& sales, std::string_view sale_id, std::string_view product,
              std::string_view customer, Money price, std::int64_t quantity, Date date,
              const Sentiment* sentiment, Date review_date,
              std::initializer_list<std::string_view> extra);

}  // namespace salespipe::io::xlsx::testing
