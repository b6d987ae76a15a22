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
  // Shared with running AsyncWorkers, so that resizing the pool while an
  // epoch trains leaves that epoch its pool until it ends.
  std::shared_ptr<ThreadPool> pool = std::make_shared<ThreadPool>(1);

  Engine engine() const { return {&kernels_for(isa), pool.get()}; }
};

AddonState& state(Napi::Env env);

}  // namespace deltaprop::addon
