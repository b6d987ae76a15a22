#include "thread_pool.h"

namespace deltaprop {

ThreadPool::ThreadPool(int size) {
  for (int i = 1; i < size; ++i) workers_.emplace_back([this, i] { work(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::run(int count, const std::function<void(int)>& task) {
  std::unique_lock<std::mutex> region(run_mutex_, std::try_to_lock);
  if (count <= 1 || !region.owns_lock()) {
    for (int i = 0; i < count; ++i) task(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = &task;
    task_count_ = count;
    pending_ = count - 1;
    ++generation_;
  }
  wake_.notify_all();
  std::exception_ptr caller_error;
  try {
    task(0);
  } catch (...) {
    caller_error = std::current_exception();
  }
  // Workers still read `task`: wait for them even when task(0) threw.
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [this] { return pending_ == 0; });
  task_ = nullptr;
  std::exception_ptr error = caller_error ? caller_error : error_;
  error_ = nullptr;
  if (error) std::rethrow_exception(error);
}

void ThreadPool::work(int index) {
  std::uint64_t seen = 0;
  for (;;) {
    const std::function<void(int)>* task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      if (index >= task_count_) continue;
      task = task_;
    }
    std::exception_ptr error;
    try {
      (*task)(index);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (error && !error_) error_ = error;
      if (--pending_ == 0) done_.notify_one();
    }
  }
}

}  // namespace deltaprop
