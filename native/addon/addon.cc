// The addon's entry point: only registration. Each bindings file checks its
// own arguments and calls into kernels/, which knows nothing of Node.
#include <napi.h>

#include "bindings.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  deltaprop::addon::register_engine(env, exports);  // first: it creates the per-environment state
  deltaprop::addon::register_kernels(env, exports);
  deltaprop::addon::register_network(env, exports);
  deltaprop::addon::register_training_data(env, exports);
  deltaprop::addon::register_abort_flag(env, exports);
  deltaprop::addon::register_training(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(deltaprop, Init)
