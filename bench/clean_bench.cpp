// Cell parsers of the clean stage on the shapes of the lab's sample (sale_price.csv): prices
// "$150.00", "$75", "250.50", "150", empty; dates "15-01-2023" (day-first), "01/20/2023"
// (month-first), "01-09-2023" (ambiguous). These run once per cell, 10M rows per run.
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "clean/dates.hpp"
#include "clean/values.hpp"

namespace {

using salespipe::clean::DateResolver;
using salespipe::clean::ParsedDate;

// The mix of the sample: about a fifth of the prices are blank.
constexpr std::array<std::string_view, 10> kPrices = {
    "$150.00", "$75", "250.50", "150", "", "$250.50", "$1,234.50", "75", "$99.99", "300"};
constexpr std::array<std::string_view, 8> kDates = {"15-01-2023", "01/20/2023", "01-09-2023",
                                                    "25-01-2023", "02/21/2023", "08-02-2023",
                                                    "28-03-2023", "03/31/2023"};

void BM_ParsePriceSeedMix(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(salespipe::clean::parse_price(kPrices[i]));
    i = i + 1 == kPrices.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParsePriceSeedMix);

void BM_ParsePrice(benchmark::State& state, std::string_view text) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(text);
    benchmark::DoNotOptimize(salespipe::clean::parse_price(text));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_ParsePrice, dollars, std::string_view("$150.00"));
BENCHMARK_CAPTURE(BM_ParsePrice, thousands, std::string_view("$1,234.50"));
BENCHMARK_CAPTURE(BM_ParsePrice, code_after, std::string_view("12.00 EUR"));

void BM_ParseDateSeedMix(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(salespipe::clean::parse_date(kDates[i]));
    i = i + 1 == kDates.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseDateSeedMix);

void BM_ParseDate(benchmark::State& state, std::string_view text) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(text);
    benchmark::DoNotOptimize(salespipe::clean::parse_date(text));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_ParseDate, day_first, std::string_view("15-01-2023"));
BENCHMARK_CAPTURE(BM_ParseDate, ambiguous, std::string_view("01-09-2023"));
BENCHMARK_CAPTURE(BM_ParseDate, iso, std::string_view("2023-01-15"));
BENCHMARK_CAPTURE(BM_ParseDate, iso_time, std::string_view("2023-01-15T10:30:00Z"));

/// Both passes over a column: parse and observe every row, then resolve every row.
void BM_ResolveColumn(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  std::vector<std::string_view> column(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    column[i] = kDates[i % kDates.size()];
  }
  std::vector<ParsedDate> parsed(rows);
  for (auto _ : state) {
    DateResolver resolver;
    for (std::size_t i = 0; i < rows; ++i) {
      parsed[i] = salespipe::clean::parse_date(column[i]);
      resolver.observe(parsed[i]);
    }
    for (const ParsedDate& date : parsed) {
      benchmark::DoNotOptimize(resolver.resolve(date));
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ResolveColumn)->Arg(100'000);

}  // namespace
