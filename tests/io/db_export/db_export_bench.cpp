// Time to upsert customers (no sales) into each database: a first load into empty tables, a
// re-run where nothing changed, and a re-run where 1% of the segments changed.
// PostgreSQL needs SALESPIPE_TEST_PG_DSN (scripts/pg-test-server.sh start DIR writes one to
// DIR/dsn); SQLite writes under the system temp folder.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "core/export_tables.hpp"
#include "io/db_export/db_export.hpp"

namespace salespipe::io::db_export {
namespace {
namespace fs = std::filesystem;

constexpr const char* kTable = "bench_customer_segments";

/// `count` customers; every 100th one is "Changed" instead of its usual segment when `changed`.
ExportCustomers make_customers(std::size_t count, bool changed) {
  ExportCustomers customers;
  customers.customer_id.reserve(count, count * 9);
  customers.segment.reserve(count, count * 7);
  for (std::size_t i = 0; i < count; ++i) {
    char id[24];
    std::snprintf(id, sizeof id, "C%08zu", i);
    customers.customer_id.push_back(id);
    const bool vip = i % 7 == 0;
    customers.segment.push_back(changed && i % 100 == 0 ? "Changed" : vip ? "VIP" : "Regular");
    const auto frequency = static_cast<std::int64_t>(1 + i % 13);
    const auto total = static_cast<std::int64_t>((i * 7919) % 5'000'000 + 10'000);
    customers.total_purchase_amount.push_back(Money{total});
    customers.purchase_frequency.push_back(frequency);
    customers.avg_transaction_value.push_back(static_cast<double>(total) / 10'000.0 /
                                              static_cast<double>(frequency));
    customers.recency_days.push_back(static_cast<std::int64_t>(i % 365));
    customers.cluster.push_back(vip ? 1 : 0);
  }
  return customers;
}

DbExportOptions bench_options() {
  DbExportOptions options;
  options.customers_table = kTable;
  options.include_sales = false;
  options.now_utc = "2024-03-01T12:00:00Z";
  return options;
}

struct Destination {
  std::string name;
  // Runs the export; drop() empties the destination before a first load.
  std::function<DbExportResult(const ExportData&)> run;
  std::function<void()> drop;
};

std::unique_ptr<Destination> destination(benchmark::State& state, bool postgres) {
  const DbExportOptions options = bench_options();
  if (postgres) {
    const char* dsn = std::getenv("SALESPIPE_TEST_PG_DSN");
    if (dsn == nullptr) {
      state.SkipWithError("SALESPIPE_TEST_PG_DSN is not set");
      return nullptr;
    }
    const std::string target = dsn;
    return std::make_unique<Destination>(
        Destination{"postgres",
                    [target, options](const ExportData& data) {
                      return export_postgres(target, data, options);
                    },
                    [target] {
                      pqxx::connection connection(target);
                      pqxx::nontransaction tx(connection);
                      tx.exec0(std::string("DROP TABLE IF EXISTS ") + kTable);
                    }});
  }
  const fs::path file = fs::temp_directory_path() / "salespipe_db_export_bench.sqlite";
  return std::make_unique<Destination>(Destination{
      "sqlite",
      [file, options](const ExportData& data) { return export_sqlite(file, data, options); },
      [file] { fs::remove(file); }});
}

void first_load(benchmark::State& state, bool postgres) {
  ExportData data;
  data.customers = make_customers(static_cast<std::size_t>(state.range(0)), false);
  const auto target = destination(state, postgres);
  if (!target) {
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();
    target->drop();
    state.ResumeTiming();
    benchmark::DoNotOptimize(target->run(data));
  }
  target->drop();
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void rerun(benchmark::State& state, bool postgres, bool one_percent_changed) {
  ExportData plain;
  plain.customers = make_customers(static_cast<std::size_t>(state.range(0)), false);
  ExportData changed;
  changed.customers = make_customers(static_cast<std::size_t>(state.range(0)), true);
  const auto target = destination(state, postgres);
  if (!target) {
    return;
  }
  target->drop();
  target->run(plain);
  bool flip = true;
  std::uint64_t updated = 0;
  for (auto _ : state) {
    const ExportData& next = one_percent_changed && flip ? changed : plain;
    flip = !flip;
    updated += target->run(next).customers.updated;
  }
  target->drop();
  state.counters["updated_per_run"] =
      static_cast<double>(updated) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_PostgresFirstLoad(benchmark::State& state) { first_load(state, true); }
void BM_PostgresRerunUnchanged(benchmark::State& state) { rerun(state, true, false); }
void BM_PostgresRerunOnePercentChanged(benchmark::State& state) { rerun(state, true, true); }
void BM_SqliteFirstLoad(benchmark::State& state) { first_load(state, false); }
void BM_SqliteRerunUnchanged(benchmark::State& state) { rerun(state, false, false); }
void BM_SqliteRerunOnePercentChanged(benchmark::State& state) { rerun(state, false, true); }

constexpr std::int64_t kMillion = 1'000'000;
BENCHMARK(BM_PostgresFirstLoad)->Arg(kMillion)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PostgresRerunUnchanged)->Arg(kMillion)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PostgresRerunOnePercentChanged)
    ->Arg(kMillion)
    ->Iterations(4)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SqliteFirstLoad)->Arg(kMillion)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SqliteRerunUnchanged)->Arg(kMillion)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SqliteRerunOnePercentChanged)
    ->Arg(kMillion)
    ->Iterations(4)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace salespipe::io::db_export
