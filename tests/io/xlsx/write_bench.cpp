// Time to write the export workbook (DESIGN.md section 7) from an in-memory SalesTable.
// Built only with SALESPIPE_BUILD_BENCH; run with a Release build:
//   io_xlsx_write_bench --benchmark_counters_tabular=true
// The workbook goes to $TMPDIR (default /tmp) and is removed after each iteration.

#include <benchmark/benchmark.h>

#include <filesystem>

#include "io/xlsx/writer.hpp"
#include "testing/file_write_bench.hpp"
#include "testing/synthetic_sales.hpp"

namespace {
namespace fs = std::filesystem;
using salespipe::Money;
using salespipe::SalesTable;

void BM_WriteXlsx(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const SalesTable sales = salespipe::testing::synthetic_sales(rows);
  salespipe::ExportData data;
  data.sales = &sales;
  // A fifth of the customers are VIP.
  for (std::size_t c = 0; c < salespipe::testing::kSyntheticCustomers; ++c) {
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
  salespipe::testing::time_file_writes(state, ".xlsx", rows, [&](const fs::path& path) {
    salespipe::io::xlsx::write_xlsx(path, data);
  });
}

BENCHMARK(BM_WriteXlsx)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
