// K-Means on 1,000,000 customers x 3 features (k = 2, n_init = 10), the segmentation's hot
// path. The customers come from the generator of the generated golden case
// (tests/segment/generated_features.cpp); bench/kmeans_sklearn.py times scikit-learn on the same
// customers (generated_features in tools/kmeans_reference.py, the same generator in Python) and,
// given this binary, both in one run. SALESPIPE_BENCH_CUSTOMERS changes the number of customers.
// main() comes from benchmark::benchmark_main (bench/CMakeLists.txt).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "segment/features.hpp"
#include "segment/generated_features.hpp"  // from tests/, shared with the golden tests
#include "segment/kmeans.hpp"
#include "segment/scaling.hpp"
#include "segment/segment.hpp"
#include "segment/silhouette.hpp"

namespace {

using namespace salespipe;
using namespace salespipe::segment;

constexpr std::uint64_t kSeed = 20240601;

std::size_t customer_count() {
  const char* text = std::getenv("SALESPIPE_BENCH_CUSTOMERS");
  return text != nullptr ? std::stoul(text) : 1'000'000;
}

const CustomerFeatures& features() {
  static const CustomerFeatures data = testing::generated_features(kSeed, customer_count());
  return data;
}

const Matrix& scaled() {
  static const Matrix data = [] {
    const Matrix raw = feature_matrix(features(), Options{});
    return apply_minmax(fit_minmax(raw), raw);
  }();
  return data;
}

// kmeans() alone: what scikit-learn's KMeans.fit does. Argument: threads.
void BM_KMeans(benchmark::State& state) {
  const Matrix& data = scaled();
  const KMeansOptions options{
      .k = 2, .n_init = 10, .threads = static_cast<unsigned>(state.range(0))};
  double inertia = 0;
  int iterations = 0;
  for (auto _ : state) {
    const KMeansResult fit = kmeans(data, options);
    inertia = fit.inertia;
    for (const auto& run : fit.runs) {
      iterations += run.iterations;
    }
    benchmark::DoNotOptimize(fit.labels.data());
  }
  state.counters["customers"] = static_cast<double>(data.rows);
  state.counters["inertia"] = inertia;
  state.counters["lloyd_iterations"] =
      benchmark::Counter(static_cast<double>(iterations), benchmark::Counter::kAvgIterations);
}
// CPU time counts every thread, so on a busy machine it still shows the work done.
BENCHMARK(BM_KMeans)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The whole stage: scaling, K-Means, tiers, distances and the silhouette (20k sample).
void BM_SegmentCustomers(benchmark::State& state) {
  Options options;
  options.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    const Segmentation result = segment_customers(features(), options);
    benchmark::DoNotOptimize(result.cluster.data());
  }
}
BENCHMARK(BM_SegmentCustomers)
    ->ArgName("threads")
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The exact silhouette on 20,000 customers (the sample size above which it is sampled).
void BM_Silhouette20k(benchmark::State& state) {
  const Matrix& data = scaled();
  Matrix sample(20'000, data.cols);
  std::copy(data.values.begin(),
            data.values.begin() + static_cast<std::ptrdiff_t>(sample.values.size()),
            sample.values.begin());
  const KMeansResult fit = kmeans(sample, KMeansOptions{.k = 2});
  for (auto _ : state) {
    const Silhouette s = silhouette(
        sample, fit.labels, SilhouetteOptions{.threads = static_cast<unsigned>(state.range(0))});
    benchmark::DoNotOptimize(s.score);
  }
}
BENCHMARK(BM_Silhouette20k)
    ->ArgName("threads")
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
