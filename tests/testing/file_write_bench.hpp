#pragma once

// The timing loop of the benchmarks that write one file per iteration. Header-only: only
// benchmark binaries (which link Google Benchmark and fmt) include it.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

namespace salespipe::testing {

/// Times write(path) once per iteration, path being salespipe-bench-<pid><extension> in $TMPDIR
/// (default /tmp). After each iteration, outside the timing, the file is measured and removed.
/// Counters: rows_per_s (`rows` per iteration) and file_MB (the last file's size).
inline void time_file_writes(benchmark::State& state, std::string_view extension, std::size_t rows,
                             const std::function<void(const std::filesystem::path&)>& write) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     fmt::format("salespipe-bench-{}{}", ::getpid(), extension);
  std::uintmax_t bytes = 0;
  for (auto _ : state) {
    write(path);
    state.PauseTiming();
    bytes = std::filesystem::file_size(path);
    std::filesystem::remove(path);
    state.ResumeTiming();
  }
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
}

}  // namespace salespipe::testing
