// Time to sync 100k customers in batches of 500 to a cpp-httplib server on 127.0.0.1 (DESIGN.md
// section 7), from a fresh state.sqlite each iteration (so every customer is sent), and the same
// run as a dry run (fingerprints, change detection and keys, no bodies, no network, no state).
// Built only with SALESPIPE_BUILD_BENCH; run with a Release build:
//   io_http_sync_bench --benchmark_counters_tabular=true
// state.sqlite goes to $TMPDIR (default /tmp).

#include <benchmark/benchmark.h>

#include "io/http/http_sync.hpp"
#include "io/sql/state_db.hpp"
#include "sync_test_support.hpp"
#include "test_server.hpp"
#include "testing/testing.hpp"

namespace {
using salespipe::ExportCustomers;
using salespipe::io::http::HttpOptions;
using salespipe::io::http::HttpSyncResult;
using salespipe::io::http::sync_http;
using salespipe::io::sql::StateDb;

constexpr std::size_t kCustomers = 100'000;

HttpOptions bench_options(const std::string& url, bool dry_run) {
  HttpOptions options;
  options.url = url;
  options.batch_size = 500;
  options.now_utc = "2024-03-01T12:00:00Z";
  options.dry_run = dry_run;
  return options;
}

void run_sync(benchmark::State& state, bool dry_run) {
  const ExportCustomers customers =
      salespipe::io::http::test::to_table(salespipe::io::http::test::customer_rows(kCustomers));
  salespipe::io::http::test::TestServer server;
  const HttpOptions options = bench_options(server.url(), dry_run);
  std::uint64_t sent = 0;
  std::uint64_t batches = 0;
  for (auto _ : state) {
    state.PauseTiming();
    {
      salespipe::testing::TempDir dir;
      StateDb db = StateDb::open(dir / "state.sqlite");
      state.ResumeTiming();
      const HttpSyncResult result = sync_http(customers, db, options);
      state.PauseTiming();
      sent += result.sent;
      batches += result.batches;
    }
    state.ResumeTiming();
  }
  state.counters["customers/s"] =
      benchmark::Counter(static_cast<double>(kCustomers) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["sent"] = static_cast<double>(sent) / static_cast<double>(state.iterations());
  state.counters["batches"] =
      static_cast<double>(batches) / static_cast<double>(state.iterations());
  const std::vector<salespipe::io::http::test::Recorded> requests = server.requests();
  std::size_t body_bytes = 0;
  for (const auto& request : requests) {
    body_bytes += request.body.size();
  }
  state.counters["requests"] =
      static_cast<double>(requests.size()) / static_cast<double>(state.iterations());
  state.counters["MB_sent"] =
      static_cast<double>(body_bytes) / 1e6 / static_cast<double>(state.iterations());
}

void BM_Sync100kCustomers(benchmark::State& state) { run_sync(state, false); }
void BM_DryRun100kCustomers(benchmark::State& state) { run_sync(state, true); }

BENCHMARK(BM_Sync100kCustomers)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();
BENCHMARK(BM_DryRun100kCustomers)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
