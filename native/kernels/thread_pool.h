#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace deltaprop {

// A fixed set of worker threads, created once and reused for every parallel
// region (thread creation per call would cost more than small gemms do).
// `size` counts the calling thread too: a pool of size 1 has no workers.
//
// A training step runs several gemms back to back with microseconds between
// them, so waiting threads spin for a short while before sleeping: waking a
// sleeping thread costs tens of microseconds, as much as a small gemm.
class ThreadPool {
 public:
  explicit ThreadPool(int size);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs task(0) … task(count − 1), count ≤ size(), task(0) on the caller, and
  // returns when all are done. When another run is in progress (two epochs
  // training at once), every task runs on the caller instead of waiting.
  // An exception thrown by any task is rethrown here, after all have ended.
  void run(int count, const std::function<void(int)>& task);

 private:
  void work(int index);
  void finish_one();

  std::vector<std::thread> workers_;
  std::mutex run_mutex_;  // one parallel region at a time

  // Published under mutex_ before generation_ moves; read by workers after
  // they see the new generation.
  const std::function<void(int)>* task_ = nullptr;
  int task_count_ = 0;
  std::exception_ptr error_;

  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
};

}  // namespace deltaprop
