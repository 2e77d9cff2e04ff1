// Time to build warehouse.sqlite from an in-memory SalesTable (DESIGN.md section 10).
// Built only with SALESPIPE_BUILD_BENCH; run with a Release build:
//   io_sql_warehouse_bench --benchmark_counters_tabular=true
// The temp files go to $TMPDIR (default /tmp); each file is removed after its iteration.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/date.hpp"
#include "io/sql/warehouse.hpp"

namespace {
namespace fs = std::filesystem;
using salespipe::Date;
using salespipe::Money;
using salespipe::SalesTable;

/// `count` sales shaped like a real export: 20k customers, 500 products, two thirds reviewed,
/// ids of 8-10 bytes, two short extra columns.
SalesTable synthetic_sales(std::size_t count) {
  SalesTable table;
  table.extra.names = {"region", "channel"};
  table.extra.values.resize(2);
  for (int i = 0; i < 500; ++i) {
    table.products.names.push_back(fmt::format("PROD{}", 1000 + i));
  }
  for (int i = 0; i < 20'000; ++i) {
    table.customers.names.push_back(fmt::format("CUST{}", 100'000 + i));
  }
  const Date start = salespipe::make_date(2023, 1, 1).value();
  constexpr std::string_view kRegions[] = {"North", "South", "East", "West"};
  std::string sale_id;
  for (std::size_t i = 0; i < count; ++i) {
    // Not in sorted order, as ids of a real export are not either.
    sale_id = fmt::format("S{}", i * 7'919 % count + 1'000'000);
    table.sale_id.push_back(sale_id);
    table.product.push_back(static_cast<std::uint32_t>(i * 7 % 500));
    table.customer.push_back(static_cast<std::uint32_t>(i * 13 % 20'000));
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

void BM_WriteWarehouse(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const SalesTable sales = synthetic_sales(rows);
  const fs::path path =
      fs::temp_directory_path() / fmt::format("salespipe-bench-{}.sqlite", ::getpid());
  std::uintmax_t bytes = 0;
  for (auto _ : state) {
    salespipe::io::sql::write_warehouse(path, sales, {}, {},
                                        {.index_sale_id = state.range(1) != 0});
    state.PauseTiming();
    bytes = fs::file_size(path);
    fs::remove(path);
    state.ResumeTiming();
  }
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
}

// Arguments: rows, index_sale_id.
BENCHMARK(BM_WriteWarehouse)
    ->Args({100'000, 0})
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace
