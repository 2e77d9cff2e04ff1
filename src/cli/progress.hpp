#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "pipeline/etl.hpp"

namespace salespipe::cli {

/// A one-line progress bar on stderr, drawn only when stderr is a terminal and not --quiet,
/// at most ten times a second.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  ~ProgressBar();
  void update(const pipeline::Progress& progress);

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace salespipe::cli
