// Throughput of the JSON feedback reader on generated files of about 200 MB: a pretty-printed
// array laid out like the lab's customer_feedback.json, the same records minified, and as NDJSON.
// The files are written to the temp folder before the benchmarks run and removed after.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>
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
  const std::string customer = "C_" + std::to_string(1 + pick(20000));
  const std::string product = "P" + std::to_string(100 + pick(500));
  const std::string comment = pick(10) == 0 ? R"(, "comment": "tr\u00e8s bien, \"5 stars\"")" : "";
  const std::string& score = kScores[pick(kScores.size())];
  const std::string& date = kDates[pick(kDates.size())];
  if (layout == Layout::Pretty) {
    return "  {\n    \"customer_id\": \"" + customer + "\",\n    \"product_id\": \"" + product +
           "\",\n    \"sentiment_score\": " + score + ",\n    \"review_date\": \"" + date +
           "\"" + comment + "\n  }";
  }
  return "{\"customer_id\":\"" + customer + "\",\"product_id\":\"" + product +
         "\",\"sentiment_score\":" + score + ",\"review_date\":\"" + date + "\"" + comment + "}";
}

fs::path write_file(Layout layout) {
  static const char* const kNames[] = {"pretty.json", "minified.json", "records.ndjson"};
  const fs::path path = fs::temp_directory_path() /
                        ("salespipe-json-bench-" + std::string(kNames[static_cast<int>(layout)]));
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

void read_file(benchmark::State& state, const fs::path& path) {
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

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  const std::vector<std::pair<const char*, Layout>> layouts = {
      {"BM_JsonRead/pretty_array", Layout::Pretty},
      {"BM_JsonRead/minified_array", Layout::Minified},
      {"BM_JsonRead/ndjson", Layout::Ndjson}};
  std::vector<fs::path> paths;
  for (const auto& [name, layout] : layouts) {
    paths.push_back(write_file(layout));
    benchmark::RegisterBenchmark(name, read_file, paths.back())
        ->Unit(benchmark::kMillisecond)
        ->MinTime(3.0);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  for (const auto& path : paths) {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
  return 0;
}
