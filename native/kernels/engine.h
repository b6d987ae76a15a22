#pragma once

#include "kernel_set.h"
#include "thread_pool.h"

namespace deltaprop {

// What every kernel call runs with: the ISA's kernels and the threads it may
// use. Owned by the addon per JS environment (worker_threads get their own);
// nothing here is global.
struct Engine {
  const KernelSet* kernels;
  ThreadPool* pool;
  int threads;  // how many of the pool's threads to use, at most pool->size()
};

}  // namespace deltaprop
