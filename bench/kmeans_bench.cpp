// K-Means on 1,000,000 customers x 3 features (k = 2, n_init = 10), the segmentation's hot
// path. bench/kmeans_sklearn.py times scikit-learn on the same customers (its generator is
// generated_features in tools/kmeans_reference.py, restated below) and, given this binary,
// both in one run. SALESPIPE_BENCH_CUSTOMERS changes the number of customers. main() comes from
// benchmark::benchmark_main (bench/CMakeLists.txt).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "segment/features.hpp"
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

// splitmix64 draws 4i+1..4i+4 for customer i: group, frequency, average price, recency.
CustomerFeatures generate(std::uint64_t seed, std::size_t customers) {
  constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ULL;
  const auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  constexpr std::uint64_t kFrequencySpan[] = {6, 12, 25};
  constexpr std::uint64_t kFrequencyBase[] = {1, 3, 8};
  constexpr std::uint64_t kCentsSpan[] = {9000, 20000, 60000};
  constexpr std::uint64_t kCentsBase[] = {1000, 4000, 15000};
  CustomerFeatures features;
  std::uint64_t counter = 0;
  for (std::size_t i = 0; i < customers; ++i) {
    std::uint64_t draw[4];
    for (auto& value : draw) {
      value = mix(seed + ++counter * kGamma);
    }
    const std::uint64_t group_draw = draw[0] % 100;
    const std::size_t group = group_draw < 70 ? 0 : group_draw < 92 ? 1 : 2;
    const std::uint64_t frequency = kFrequencyBase[group] + draw[1] % kFrequencySpan[group];
    const std::uint64_t cents = kCentsBase[group] + draw[2] % kCentsSpan[group];
    const Money total{static_cast<std::int64_t>(frequency * cents * 100)};
    features.customer.push_back(static_cast<std::uint32_t>(i));
    features.total_purchase_amount.push_back(total);
    features.purchase_frequency.push_back(static_cast<std::int64_t>(frequency));
    features.avg_transaction_value.push_back(to_double(total) / static_cast<double>(frequency));
    features.recency_days.push_back(static_cast<std::int64_t>(draw[3] % 120));
  }
  return features;
}

const CustomerFeatures& features() {
  static const CustomerFeatures data = generate(kSeed, customer_count());
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
