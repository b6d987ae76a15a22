// What the addon keeps per JS environment (the main thread and each
// worker_thread has its own): the ISA in use and the thread pool. Stored as
// N-API instance data, so there is no shared mutable global.
#pragma once

#include <napi.h>

#include <memory>

#include "../kernels/engine.h"
#include "../kernels/isa.h"

namespace deltaprop::addon {

struct AddonState {
  Isa isa = best_isa();
  // Shared with running AsyncWorkers, so that replacing the pool while an
  // epoch trains leaves that epoch its pool until it ends. setThreads changes
  // `threads` and grows the pool only when asked for more threads than it
  // has: a new thread starts out sharing a core with its creator until the
  // OS moves it, so threads are made once and kept.
  std::shared_ptr<ThreadPool> pool = std::make_shared<ThreadPool>(1);
  int threads = 1;

  Engine engine() const { return {&kernels_for(isa), pool.get(), threads}; }
};

AddonState& state(Napi::Env env);

}  // namespace deltaprop::addon
