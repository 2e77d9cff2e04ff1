// Throughput of the streaming CSV reader on a generated sales file of about 100 MB (in the page
// cache after the first pass), with and without quoted fields, at several block sizes.
//
//   build/bench/bench/csv_read_bench --benchmark_min_time=2

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "io/csv/reader.hpp"

namespace {

namespace fs = std::filesystem;
using salespipe::io::csv::Batch;
using salespipe::io::csv::Reader;
using salespipe::io::csv::ReaderOptions;
using salespipe::io::csv::RecordStatus;

constexpr std::size_t kTargetBytes = 100u << 20;

/// Rows shaped like the lab's sale_price.csv (CRLF, a few money and date spellings). With quoted
/// set, every text field is quoted and some hold a delimiter or a doubled quote.
std::string make_rows(bool quoted) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> product(101, 999);
  std::uniform_int_distribution<int> customer(1, 99999);
  std::uniform_int_distribution<int> cents(100, 99999);
  std::uniform_int_distribution<int> quantity(1, 9);
  std::uniform_int_distribution<int> day(1, 28);
  std::uniform_int_distribution<int> month(1, 12);
  std::string out = "sale_id,product_id,customer_id,sale_price,quantity,sale_date\r\n";
  out.reserve(kTargetBytes + 256);
  char row[160];
  for (long id = 1; out.size() < kTargetBytes; ++id) {
    const int price = cents(rng);
    int size = 0;
    if (quoted) {
      size = std::snprintf(row, sizeof row,
                           "%ld,\"P%d\",\"C_%05d\",\"$%d,%03d.%02d\",%d,\"%02d-%02d-2023\"\r\n", id,
                           product(rng), customer(rng), price / 100000, (price / 100) % 1000,
                           price % 100, quantity(rng), day(rng), month(rng));
    } else {
      size = std::snprintf(row, sizeof row, "%ld,P%d,C_%05d,$%d.%02d,%d,%02d-%02d-2023\r\n", id,
                           product(rng), customer(rng), price / 100, price % 100, quantity(rng),
                           day(rng), month(rng));
    }
    out.append(row, static_cast<std::size_t>(size));
  }
  return out;
}

/// The generated file, written once per process into the temp folder and removed at exit.
class GeneratedFile {
 public:
  explicit GeneratedFile(bool quoted)
      : path_(fs::temp_directory_path() / ("salespipe-csv-bench-" + std::to_string(::getpid()) +
                                           (quoted ? "-q" : "") + ".csv")) {
    const std::string rows = make_rows(quoted);
    std::ofstream(path_, std::ios::binary)
        .write(rows.data(), static_cast<std::streamsize>(rows.size()));
    size_ = rows.size();
  }
  ~GeneratedFile() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  GeneratedFile(const GeneratedFile&) = delete;
  GeneratedFile& operator=(const GeneratedFile&) = delete;

  const fs::path& path() const noexcept { return path_; }
  std::size_t size() const noexcept { return size_; }

 private:
  fs::path path_;
  std::size_t size_ = 0;
};

const GeneratedFile& plain_file() {
  static const GeneratedFile file(false);
  return file;
}

const GeneratedFile& quoted_file() {
  static const GeneratedFile file(true);
  return file;
}

void read_all(benchmark::State& state, const GeneratedFile& file) {
  ReaderOptions options;
  options.block_bytes = static_cast<std::size_t>(state.range(0)) << 10;
  options.batch_records = static_cast<std::size_t>(state.range(1));
  std::uint64_t records = 0;
  for (auto _ : state) {
    Reader reader = Reader::open(file.path(), options);
    Batch batch;
    std::size_t bytes = 0;
    while (reader.next_batch(batch)) {
      for (std::size_t r = 0; r < batch.size(); ++r) {
        // Touch one field per record so the work cannot be skipped.
        bytes += batch.status[r] == RecordStatus::Ok ? batch.field(r, 3).size() : 0;
      }
      records += batch.size();
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(file.size()));
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
}

void BM_CsvReadPlain(benchmark::State& state) { read_all(state, plain_file()); }
void BM_CsvReadQuoted(benchmark::State& state) { read_all(state, quoted_file()); }

// Arguments: block size in KiB, records per batch.
BENCHMARK(BM_CsvReadPlain)
    ->Args({8192, 16384})
    ->Args({8192, 1 << 20})
    ->Args({1024, 16384})
    ->Args({256, 4096})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvReadQuoted)->Args({8192, 16384})->Unit(benchmark::kMillisecond);

}  // namespace
