// Time to write the export workbook (DESIGN.md section 7) from an in-memory SalesTable.
// Built only with SALESPIPE_BUILD_BENCH; run with a Release build:
//   io_xlsx_write_bench --benchmark_counters_tabular=true
// The workbook goes to $TMPDIR (default /tmp) and is removed after each iteration.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/date.hpp"
#include "io/xlsx/writer.hpp"

namespace {
namespace fs = std::filesystem;
using salespipe::Date;
using salespipe::Money;
using salespipe::SalesTable;

constexpr std::size_t kCustomers = 20'000;

/// `count` sales shaped like a real export: 20k customers (a fifth of them VIP), 500 products,
/// two thirds reviewed, ids of 8-10 bytes, two short extra columns.
SalesTable synthetic_sales(std::size_t count) {
  SalesTable table;
  table.extra.names = {"region", "channel"};
  table.extra.values.resize(2);
  for (int i = 0; i < 500; ++i) {
    table.products.names.push_back(fmt::format("PROD{}", 1000 + i));
  }
  for (std::size_t i = 0; i < kCustomers; ++i) {
    table.customers.names.push_back(fmt::format("CUST{}", 100'000 + i));
  }
  const Date start = salespipe::make_date(2023, 1, 1).value();
  constexpr std::string_view kRegions[] = {"North", "South", "East", "West"};
  for (std::size_t i = 0; i < count; ++i) {
    table.sale_id.push_back(fmt::format("S{}", i * 7'919 % count + 1'000'000));
    table.product.push_back(static_cast<std::uint32_t>(i * 7 % 500));
    table.customer.push_back(static_cast<std::uint32_t>(i * 13 % kCustomers));
    const auto price = static_cast<std::int64_t>(10'000 + i % 997 * 12'345);
    const auto quantity = static_cast<std::int64_t>(1 + i % 5);
    table.sale_price.push_back(Money{price});
    table.quantity.push_back(quantity);
    table.sale_date.push_back(start + std::chrono::days(static_cast<int>(i % 90)));
    table.total_revenue.push_back(Money{price * quantity});
    const bool reviewed = i % 3 != 0;
    table.has_review.push_back(reviewed ? 1 : 0);
    table.sentiment.push_back(reviewed ? 1.0 + static_cast<double>(i % 5) : 0.0);
    table.review_date.push_back(start + std::chrono::days(static_cast<int>(i % 90 + 3)));
    table.source_line.push_back(i + 2);
    table.extra.values[0].push_back(kRegions[i % 4]);
    table.extra.values[1].push_back(i % 2 == 0 ? "web" : "store");
  }
  return table;
}

void BM_WriteXlsx(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const SalesTable sales = synthetic_sales(rows);
  salespipe::ExportData data;
  data.sales = &sales;
  for (std::size_t c = 0; c < kCustomers; ++c) {
    const char* segment = c % 5 == 0 ? "VIP" : "Non-VIP";
    data.segment_of_customer.emplace_back(segment);
    data.customers.customer_id.push_back(sales.customers.name(static_cast<std::uint32_t>(c)));
    data.customers.segment.push_back(segment);
    data.customers.total_purchase_amount.push_back(Money{static_cast<std::int64_t>(c) * 1'000});
    data.customers.purchase_frequency.push_back(static_cast<std::int64_t>(c % 50));
    data.customers.avg_transaction_value.push_back(static_cast<double>(c % 1'000) / 7.0);
    data.customers.recency_days.push_back(static_cast<std::int64_t>(c % 90));
    data.customers.cluster.push_back(c % 5 == 0 ? 1 : 0);
  }
  const fs::path path =
      fs::temp_directory_path() / fmt::format("salespipe-bench-{}.xlsx", ::getpid());
  std::uintmax_t bytes = 0;
  for (auto _ : state) {
    salespipe::io::xlsx::write_xlsx(path, data);
    state.PauseTiming();
    bytes = fs::file_size(path);
    fs::remove(path);
    state.ResumeTiming();
  }
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
}

BENCHMARK(BM_WriteXlsx)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
