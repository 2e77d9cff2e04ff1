#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace salespipe::cli {

ProgressBar::ProgressBar(bool enabled) : enabled_(enabled && ::isatty(STDERR_FILENO) != 0) {}

ProgressBar::~ProgressBar() {
  if (drawn_) {
    fmt::print(stderr, "\r\033[K");
  }
}

void ProgressBar::update(const pipeline::Progress& progress) {
  if (!enabled_ || progress.total == 0) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100) && progress.done < progress.total) {
    return;
  }
  last_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  const double fraction = static_cast<double>(progress.done) / static_cast<double>(progress.total);
  const int filled = static_cast<int>(fraction * kWidth);
  fmt::print(stderr, "\r{:<9} [{:=<{}}{: <{}}] {:5.1f}%  {:.0f}/{:.0f} MB", progress.stage, "",
             filled, "", kWidth - filled, fraction * 100, static_cast<double>(progress.done) / 1e6,
             static_cast<double>(progress.total) / 1e6);
  std::fflush(stderr);
}

}  // namespace salespipe::cli
