// Throughput of the JSON feedback reader on generated files of about 200 MB: a pretty-printed
// array laid out like the lab's customer_feedback.json, the same records minified, and as NDJSON.
// The files are written to the temp folder on first use and removed when the program ends.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "io/json/reader.hpp"

namespace {

namespace fs = std::filesystem;
using salespipe::io::json::Batch;
using salespipe::io::json::Reader;
using salespipe::io::json::ReaderOptions;

constexpr std::uint64_t kTargetBytes = 200ull << 20;

enum class Layout { Pretty, Minified, Ndjson };

/// One review record as the lab writes them, with some of the mess real exports have.
std::string record(std::mt19937& random, Layout layout) {
  static const std::vector<std::string> kDates = {"2023-01-16", "01/23/2023", "2023/02/18",
                                                  "15-01-2023", "2023-03-11"};
  static const std::vector<std::string> kScores = {"4.5", "3.0", "5.0", "1.9", "\"4\"", "null"};
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  const std::size_t customer = 1 + pick(20000);
  const std::size_t product = 100 + pick(500);
  const std::string_view comment =
      pick(10) == 0 ? R"(, "comment": "tr\u00e8s bien, \"5 stars\"")" : "";
  const std::string& score = kScores[pick(kScores.size())];
  const std::string& date = kDates[pick(kDates.size())];
  if (layout == Layout::Pretty) {
    return fmt::format(
        "  {{\n    \"customer_id\": \"C_{}\",\n    \"product_id\": \"P{}\",\n"
        "    \"sentiment_score\": {},\n    \"review_date\": \"{}\"{}\n  }}",
        customer, product, score, date, comment);
  }
  return fmt::format(
      "{{\"customer_id\":\"C_{}\",\"product_id\":\"P{}\",\"sentiment_score\":{},"
      "\"review_date\":\"{}\"{}}}",
      customer, product, score, date, comment);
}

fs::path write_file(Layout layout) {
  static const char* const kNames[] = {"pretty.json", "minified.json", "records.ndjson"};
  const fs::path path = fs::temp_directory_path() /
                        fmt::format("salespipe-json-bench-{}", kNames[static_cast<int>(layout)]);
  std::mt19937 random(42);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::string chunk;
  std::uint64_t written = 0;
  bool first = true;
  if (layout != Layout::Ndjson) {
    out << (layout == Layout::Pretty ? "[\n" : "[");
  }
  while (written < kTargetBytes) {
    chunk.clear();
    for (int i = 0; i < 1000; ++i) {
      if (!first) {
        chunk += layout == Layout::Pretty ? ",\n" : (layout == Layout::Minified ? "," : "\n");
      }
      first = false;
      chunk += record(random, layout);
    }
    out << chunk;
    written += chunk.size();
  }
  out << (layout == Layout::Pretty ? "\n]\n" : (layout == Layout::Minified ? "]" : "\n"));
  return path;
}

/// The three generated files, written once on first use and removed when the program ends.
class BenchFiles {
 public:
  BenchFiles()
      : paths_{write_file(Layout::Pretty), write_file(Layout::Minified),
               write_file(Layout::Ndjson)} {}
  BenchFiles(const BenchFiles&) = delete;
  BenchFiles& operator=(const BenchFiles&) = delete;
  ~BenchFiles() {
    for (const auto& path : paths_) {
      std::error_code ignored;
      fs::remove(path, ignored);
    }
  }
  const fs::path& path(Layout layout) const { return paths_[static_cast<std::size_t>(layout)]; }

 private:
  std::array<fs::path, 3> paths_;
};

const fs::path& bench_file(Layout layout) {
  static const BenchFiles files;
  return files.path(layout);
}

void read_file(benchmark::State& state, Layout layout) {
  const fs::path& path = bench_file(layout);
  ReaderOptions options;
  options.fields = {"customer_id", "product_id", "sentiment_score", "review_date"};
  std::uint64_t records = 0;
  for (auto _ : state) {
    Reader reader = Reader::open(path, options);
    Batch batch;
    while (reader.next_batch(batch)) {
      records += batch.size();
      benchmark::DoNotOptimize(batch.values.data());
    }
  }
  const auto bytes = static_cast<std::int64_t>(fs::file_size(path));
  state.SetBytesProcessed(bytes * static_cast<std::int64_t>(state.iterations()));
  state.counters["records"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
}

void BM_JsonReadPrettyArray(benchmark::State& state) { read_file(state, Layout::Pretty); }
void BM_JsonReadMinifiedArray(benchmark::State& state) { read_file(state, Layout::Minified); }
void BM_JsonReadNdjson(benchmark::State& state) { read_file(state, Layout::Ndjson); }

BENCHMARK(BM_JsonReadPrettyArray)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_JsonReadMinifiedArray)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_JsonReadNdjson)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace
