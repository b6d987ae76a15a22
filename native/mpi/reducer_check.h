// For tests only: drives a reducer table the way the main addon's training
// loop does, from a libuv worker thread, so that the table can be tested
// without the main addon.
#pragma once

#include <napi.h>

namespace deltaprop::mpi {

// checkReducer(reducer, buffers: Float64Array[]) -> Promise<{ status, message }>:
// start() on each buffer in order, then wait_all(), on a worker thread.
Napi::Value check_reducer(const Napi::CallbackInfo& info);

}  // namespace deltaprop::mpi
