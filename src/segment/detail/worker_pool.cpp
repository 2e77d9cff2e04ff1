#include "segment/detail/worker_pool.hpp"

#include <utility>

namespace salespipe::segment::detail {

WorkerPool::WorkerPool(unsigned threads) {
  if (threads == 0) {
    threads = std::thread::hardware_concurrency();
  }
  if (threads == 0) {
    threads = 1;
  }
  workers_.reserve(threads - 1);
  for (unsigned i = 1; i < threads; ++i) {
    workers_.emplace_back([this] { work_loop(); });
  }
}

WorkerPool::~WorkerPool() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) {
    worker.join();
  }
}

void WorkerPool::run(std::size_t tasks, const std::function<void(std::size_t)>& body) {
  if (tasks == 0) {
    return;
  }
  if (workers_.empty() || tasks == 1) {
    for (std::size_t t = 0; t < tasks; ++t) {
      body(t);
    }
    return;
  }
  {
    const std::lock_guard lock(mutex_);
    body_ = &body;
    tasks_ = tasks;
    next_task_ = 0;
    finished_ = 0;
    failure_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  drain();
  std::unique_lock lock(mutex_);
  done_.wait(lock, [this] { return finished_ == tasks_; });
  body_ = nullptr;
  if (failure_) {
    std::rethrow_exception(std::exchange(failure_, nullptr));
  }
}

void WorkerPool::drain() {
  std::unique_lock lock(mutex_);
  while (body_ != nullptr && next_task_ < tasks_) {
    const std::size_t task = next_task_++;
    const auto* body = body_;
    const bool skip = failure_ != nullptr;
    lock.unlock();
    std::exception_ptr error;
    if (!skip) {
      try {
        (*body)(task);
      } catch (...) {
        error = std::current_exception();
      }
    }
    lock.lock();
    if (error && !failure_) {
      failure_ = error;
    }
    if (++finished_ == tasks_) {
      done_.notify_all();
    }
  }
}

void WorkerPool::work_loop() {
  std::size_t seen = 0;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) {
        return;
      }
      seen = generation_;
    }
    drain();
  }
}

}  // namespace salespipe::segment::detail
