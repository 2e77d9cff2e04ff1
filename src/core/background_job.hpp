#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

namespace salespipe {

/// Work run on another thread: wait() joins it and rethrows what it threw, so its errors reach
/// the caller as if it had run inline. Going away without wait() (the caller is unwinding from
/// its own error) joins and drops the job's error: the first error is the one reported.
class BackgroundJob {
 public:
  BackgroundJob() = default;
  BackgroundJob(const BackgroundJob&) = delete;
  BackgroundJob& operator=(const BackgroundJob&) = delete;
  ~BackgroundJob() { join(); }

  /// Starts the work on a new thread; one job runs one piece of work.
  void start(std::function<void()> work) {
    join();
    thread_ = std::thread([this, work = std::move(work)] {
      try {
        work();
      } catch (...) {
        error_ = std::current_exception();
      }
    });
  }

  /// Waits for the work (no-op when there is none or it was waited for) and rethrows its error.
  void wait() {
    join();
    if (error_) {
      std::rethrow_exception(std::exchange(error_, nullptr));
    }
  }

 private:
  void join() {
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  std::exception_ptr error_;
  std::thread thread_;
};

/// Runs work(0), work(1), ..., work(parts - 1) at once: part 0 on this thread, each other part
/// on a thread of its own. Returns when all are done and rethrows the error of the lowest part
/// that threw.
template <typename Work>
void run_parts(unsigned parts, Work&& work) {
  std::vector<BackgroundJob> others(parts > 0 ? parts - 1 : 0);
  for (unsigned part = 1; part < parts; ++part) {
    others[part - 1].start([&work, part] { work(part); });
  }
  std::exception_ptr first_error;
  try {
    if (parts > 0) {
      work(0u);
    }
  } catch (...) {
    first_error = std::current_exception();
  }
  for (BackgroundJob& job : others) {
    try {
      job.wait();
    } catch (...) {
      if (!first_error) {
        first_error = std::current_exception();
      }
    }
  }
  if (first_error) {
    std::rethrow_exception(first_error);
  }
}

/// Splits [0, count) into `parts` consecutive ranges of about equal size and runs
/// work(part, begin, end) for each at once, as run_parts does.
template <typename Work>
void run_ranges(std::size_t count, unsigned parts, Work&& work) {
  run_parts(parts,
            [&](unsigned part) { work(part, count * part / parts, count * (part + 1) / parts); });
}

}  // namespace salespipe
