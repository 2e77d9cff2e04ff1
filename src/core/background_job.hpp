#pragma once

#include <exception>
#include <functional>
#include <thread>
#include <utility>

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

}  // namespace salespipe
