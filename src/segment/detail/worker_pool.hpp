#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace salespipe::segment::detail {

/// A fork-join pool for one computation: run(tasks, body) calls body(t) once for every task
/// t in [0, tasks) on the calling thread and the workers, and returns when all are done.
/// Callers give each task its own output slot and combine slots in task order, so results do
/// not depend on the number of threads or on which thread ran which task.
class WorkerPool {
 public:
  /// threads counts the calling thread; 0 means one per hardware thread.
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// The number of threads that run tasks, the caller included.
  unsigned size() const noexcept { return static_cast<unsigned>(workers_.size()) + 1; }

  /// Runs body(t) for every t in [0, tasks). The first exception a task throws is rethrown
  /// here after every task has finished or been skipped.
  void run(std::size_t tasks, const std::function<void(std::size_t)>& body);

 private:
  void work_loop();
  void drain();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::size_t tasks_ = 0;
  std::size_t next_task_ = 0;
  std::size_t finished_ = 0;
  std::size_t generation_ = 0;
  bool stopping_ = false;
  std::exception_ptr failure_;
};

/// Splits [0, count) into consecutive blocks of block_size (the last may be shorter) and runs
/// body(first, last, block_index) for each on the pool.
template <class Body>
void for_blocks(WorkerPool& pool, std::size_t count, std::size_t block_size, Body&& body) {
  const std::size_t blocks = (count + block_size - 1) / block_size;
  pool.run(blocks, [&](std::size_t block) {
    const std::size_t first = block * block_size;
    const std::size_t last = first + block_size < count ? first + block_size : count;
    body(first, last, block);
  });
}

}  // namespace salespipe::segment::detail
