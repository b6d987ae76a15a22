// Collectives that JavaScript asks for: each returns a Promise that the
// progress thread settles through a thread-safe function.
#pragma once

#include <napi.h>

#include "collective.h"

namespace deltaprop::mpi {

// Makes the thread-safe function of `env`, the one environment that
// initialized the world. Called once, by init.
void start_js_settling(Napi::Env env);

// Submits `op` over `buffer` (a Float64Array, checked by the caller) and
// returns its Promise. The buffer is kept alive until it settles, and for
// good when it fails after MPI was handed it.
Napi::Promise submit_js(Napi::Env env, Collective::Op op, Napi::TypedArrayOf<double> buffer, int root);

// An Error with `code` set to the failure's DeltapropError code.
Napi::Error failure_error(Napi::Env env, Failure failure, const std::string& message);

}  // namespace deltaprop::mpi
