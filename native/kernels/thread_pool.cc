#include "thread_pool.h"

// GCC 12's libstdc++ gave condition_variable::wait a new symbol version
// (GLIBCXX_3.4.30) that older runtimes lack, such as RHEL 9's GCC 11. The
// prebuilt binaries must load there, so they bind to the original version,
// which every libstdc++ since GCC 4.4 exports and which behaves the same for
// our use (no thread cancellation). See the README's baseline.
#if defined(__GLIBCXX__) && defined(__linux__)
__asm__(
    ".symver _ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE,"
    "_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE@GLIBCXX_3.4.11");
#endif

#include <algorithm>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

namespace deltaprop {
namespace {

// About 50 µs of spinning on current x86 cores before a thread goes to sleep.
constexpr int kSpinRounds = 20000;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(_M_X64)
  _mm_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

// Spins until done() holds or the spin budget is spent; true when done() held.
// Every so often the spinner offers its core: when another process holds the
// other cores, the thread it waits for may be queued behind it on this one.
template <class Done>
bool spin_until(Done done, bool spin = true) {
  constexpr int kYieldEvery = 256;
  for (int i = 0; spin && i < kSpinRounds; ++i) {
    if (done()) return true;
    if (i % kYieldEvery == kYieldEvery - 1) std::this_thread::yield();
    else cpu_relax();
  }
  return done();
}

}  // namespace

ThreadPool::ThreadPool(int size) : spin_(size <= static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))) {
  for (int i = 1; i < size; ++i) slots_.push_back(std::make_unique<Slot>());
  for (int i = 1; i < size; ++i) workers_.emplace_back([this, i] { work(i); });
}

ThreadPool::~ThreadPool() {
  stopping_.store(true);
  for (auto& slot : slots_) {
    std::lock_guard<std::mutex> lock(slot->mutex);
    slot->wake.notify_one();
  }
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::run(int count, const std::function<void(int)>& task) {
  std::unique_lock<std::mutex> region(run_mutex_, std::try_to_lock);
  if (count <= 1 || !region.owns_lock()) {
    for (int i = 0; i < count; ++i) task(i);
    return;
  }
  task_ = &task;
  pending_.store(count - 1, std::memory_order_relaxed);
  ++generation_;
  // Only the workers this region uses are told; the rest sleep on.
  for (int i = 1; i < count; ++i) {
    Slot& slot = *slots_[static_cast<size_t>(i - 1)];
    {
      std::lock_guard<std::mutex> lock(slot.mutex);
      slot.generation.store(generation_, std::memory_order_release);
    }
    slot.wake.notify_one();
  }

  std::exception_ptr caller_error;
  const auto run_here = [&](int i) {
    try {
      task(i);
    } catch (...) {
      if (!caller_error) caller_error = std::current_exception();
    }
  };
  run_here(0);
  // Then every task no worker has started yet: a worker that has no core
  // (another process holds it) would otherwise keep the region waiting for a
  // time slice, where the caller can do the work now. Which thread runs a
  // task changes no result.
  for (int i = 1; i < count; ++i) {
    if (!claim(*slots_[static_cast<size_t>(i - 1)])) continue;
    run_here(i);
    pending_.fetch_sub(1, std::memory_order_acq_rel);
  }
  // Workers still read `task`: wait for them even when a task here threw.
  if (!spin_until([this] { return pending_.load(std::memory_order_acquire) == 0; }, spin_)) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
  }
  std::exception_ptr error;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = nullptr;
    error = caller_error ? caller_error : error_;
    error_ = nullptr;
  }
  if (error) std::rethrow_exception(error);
}

bool ThreadPool::claim(Slot& slot) {
  const std::uint64_t region = slot.generation.load(std::memory_order_acquire);
  return slot.taken.exchange(region, std::memory_order_acq_rel) != region;
}

void ThreadPool::finish_one() {
  if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    // Taking the lock orders this notify after the caller's check-then-wait.
    std::lock_guard<std::mutex> lock(mutex_);
    done_.notify_one();
  }
}

void ThreadPool::work(int index) {
  Slot& slot = *slots_[static_cast<size_t>(index - 1)];
  std::uint64_t seen = 0;
  for (;;) {
    // Spin a while (the next region usually comes within microseconds), then sleep until told.
    const auto told = [&] { return stopping_.load() || slot.generation.load(std::memory_order_acquire) != seen; };
    if (!spin_until(told, spin_)) {
      std::unique_lock<std::mutex> lock(slot.mutex);
      slot.wake.wait(lock, told);
    }
    if (stopping_.load()) return;
    seen = slot.generation.load(std::memory_order_acquire);
    if (!claim(slot)) continue;  // the caller took this task
    std::exception_ptr error;
    try {
      (*task_)(index);
    } catch (...) {
      error = std::current_exception();
    }
    if (error) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = error;
    }
    finish_one();
  }
}

}  // namespace deltaprop
