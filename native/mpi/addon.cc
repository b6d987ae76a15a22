// deltaprop's optional MPI addon: the N-API surface of the world. The
// JavaScript side (src/distributed/) validates every argument and owns the
// API and its errors; this file re-checks what reaches it and adapts N-API to
// communicator, progress and reducer, which know nothing of Node.
#include <napi.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "communicator.h"
#include "js_collective.h"
#include "progress.h"
#include "reducer.h"
#include "reducer_check.h"

namespace deltaprop::mpi {
namespace {

int world_size = 0;         // 0 until init
napi_env world_env = nullptr;  // the environment that called init: its thread-safe function settles the promises

[[noreturn]] void fail_argument(Napi::Env env, const char* function, const std::string& detail) {
  throw Napi::TypeError::New(env, std::string("deltaprop_mpi ") + function + ": " + detail);
}

Napi::TypedArrayOf<double> float64_argument(const Napi::CallbackInfo& info, const char* function) {
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    fail_argument(info.Env(), function, "buffer: expected a Float64Array");
  }
  return info[0].As<Napi::TypedArrayOf<double>>();
}

void require_world(const Napi::CallbackInfo& info, const char* function) {
  if (world_size == 0) fail_argument(info.Env(), function, "init has not run");
  if (info.Env() != world_env) fail_argument(info.Env(), function, "the world belongs to the thread that called init");
}

// init(timeoutSeconds) -> { rank, size, threadLevel, library }
Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const double timeout = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : NAN;
  if (!(timeout > 0 && timeout <= 600)) fail_argument(env, "init", "timeoutSeconds: expected a number in (0, 600]");
  WorldInfo world;
  try {
    world = init_world(timeout);
  } catch (const std::runtime_error& e) {
    throw failure_error(env, Failure::mpi_error, e.what());
  }
  start_js_settling(env);
  world_env = env;
  world_size = world.size;
  Napi::Object result = Napi::Object::New(env);
  result.Set("rank", world.rank);
  result.Set("size", world.size);
  result.Set("threadLevel", world.thread_level);
  result.Set("library", world.library);
  return result;
}

// allreduce(buffer, "sum" | "min") -> Promise<void>, in place
Napi::Value Allreduce(const Napi::CallbackInfo& info) {
  require_world(info, "allreduce");
  Napi::TypedArrayOf<double> buffer = float64_argument(info, "allreduce");
  const std::string op = info.Length() > 1 && info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  if (op != "sum" && op != "min") fail_argument(info.Env(), "allreduce", "op: expected \"sum\" or \"min\"");
  return submit_js(info.Env(), op == "sum" ? Collective::Op::sum : Collective::Op::min, buffer, 0);
}

// broadcast(buffer, root) -> Promise<void>, in place
Napi::Value Broadcast(const Napi::CallbackInfo& info) {
  require_world(info, "broadcast");
  Napi::TypedArrayOf<double> buffer = float64_argument(info, "broadcast");
  const double root = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().DoubleValue() : NAN;
  if (!(root >= 0 && root < world_size && std::floor(root) == root)) {
    fail_argument(info.Env(), "broadcast", "root: expected a rank in [0, " + std::to_string(world_size - 1) + "]");
  }
  return submit_js(info.Env(), Collective::Op::broadcast, buffer, static_cast<int>(root));
}

// terminate(message): the launcher is ending the job (SIGTERM).
Napi::Value Terminate(const Napi::CallbackInfo& info) {
  const std::string message =
      info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "terminated";
  Progress::instance().fail(Failure::terminated, message);
  return info.Env().Undefined();
}

// finalize() -> "done" | "broken" | "busy"
Napi::Value FinalizeWorld(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Finalize result;
  try {
    result = finalize_world();
  } catch (const std::runtime_error& e) {
    throw failure_error(env, Failure::mpi_error, e.what());
  }
  switch (result) {
    case Finalize::done: return Napi::String::New(env, "done");
    case Finalize::broken: return Napi::String::New(env, "broken");
    case Finalize::busy: return Napi::String::New(env, "busy");
  }
  return env.Undefined();
}

Napi::Value tagged_table(Napi::Env env, const DeltapropReducer& table) {
  auto external = Napi::External<DeltapropReducer>::New(env, const_cast<DeltapropReducer*>(&table));
  external.TypeTag(&kDeltapropReducerTag);
  return external;
}

// reducer() -> the world's reducer table, as a tagged External
Napi::Value Reducer(const Napi::CallbackInfo& info) {
  require_world(info, "reducer");
  return tagged_table(info.Env(), world_reducer());
}

// localReducer() -> the table of a world of one process
Napi::Value LocalReducer(const Napi::CallbackInfo& info) { return tagged_table(info.Env(), local_reducer()); }

}  // namespace

Napi::Object register_world(Napi::Env env, Napi::Object exports) {
  exports.Set("init", Napi::Function::New(env, Init));
  exports.Set("allreduce", Napi::Function::New(env, Allreduce));
  exports.Set("broadcast", Napi::Function::New(env, Broadcast));
  exports.Set("terminate", Napi::Function::New(env, Terminate));
  exports.Set("finalize", Napi::Function::New(env, FinalizeWorld));
  exports.Set("reducer", Napi::Function::New(env, Reducer));
  exports.Set("localReducer", Napi::Function::New(env, LocalReducer));
  exports.Set("checkReducer", Napi::Function::New(env, check_reducer));
  Napi::Array codes = Napi::Array::New(env, kFailureKinds);
  for (int i = 0; i < kFailureKinds; ++i) codes.Set(i, failure_code(static_cast<Failure>(i)));
  exports.Set("failureCodes", codes);
  return exports;
}

}  // namespace deltaprop::mpi

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) { return deltaprop::mpi::register_world(env, exports); }

}  // namespace

NODE_API_MODULE(deltaprop_mpi, Init)
