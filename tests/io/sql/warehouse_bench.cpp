// Time to build warehouse.sqlite from an in-memory SalesTable (DESIGN.md section 10).
// Built only with SALESPIPE_BUILD_BENCH; run with a Release build:
//   io_sql_warehouse_bench --benchmark_counters_tabular=true
// The temp files go to $TMPDIR (default /tmp); each file is removed after its iteration.

#include <benchmark/benchmark.h>

#include <filesystem>

#include "io/sql/warehouse.hpp"
#include "testing/file_write_bench.hpp"
#include "testing/synthetic_sales.hpp"

namespace {
namespace fs = std::filesystem;
using salespipe::SalesTable;

void BM_WriteWarehouse(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const SalesTable sales = salespipe::testing::synthetic_sales(rows);
  salespipe::testing::time_file_writes(state, ".sqlite", rows, [&](const fs::path& path) {
    salespipe::io::sql::write_warehouse(path, sales, {}, {},
                                        {.index_sale_id = state.range(1) != 0});
  });
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
