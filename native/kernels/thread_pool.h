#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
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
//
// Each worker has its own wake-up signal and a region wakes only the workers
// it uses: a pool made large once (setThreads(256) on 2 cores) and then used
// with fewer threads leaves the rest asleep, costing nothing.
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
  // One worker's wake-up: the region it was last given and its own signal,
  // and the last region whose task was taken (by the worker or the caller).
  struct Slot {
    std::atomic<std::uint64_t> generation{0};
    std::atomic<std::uint64_t> taken{0};
    std::mutex mutex;
    std::condition_variable wake;
  };

  void work(int index);
  // Takes the slot's task of its current region; false when it was already taken.
  static bool claim(Slot& slot);
  void finish_one();

  std::vector<std::unique_ptr<Slot>> slots_;  // slots_[i] belongs to worker i + 1
  // Spinning pays only while every thread has a core; more threads than
  // cores would spin on each other's time, so then they sleep at once.
  bool spin_;
  std::vector<std::thread> workers_;
  std::mutex run_mutex_;  // one parallel region at a time

  // Published before a worker's generation moves; read by it after it sees the new generation.
  const std::function<void(int)>* task_ = nullptr;
  std::exception_ptr error_;

  std::uint64_t generation_ = 0;  // only the region's caller changes it
  std::atomic<int> pending_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;  // guards error_ and orders done_'s notify after the caller's wait
  std::condition_variable done_;
};

}  // namespace deltaprop
