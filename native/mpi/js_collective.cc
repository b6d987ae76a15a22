#include "js_collective.h"

#include <string>

#include "progress.h"

namespace deltaprop::mpi {
namespace {

struct JsCollective;
void on_js_thread(Napi::Env env, Napi::Function, void*, JsCollective* collective);
using Settler = Napi::TypedThreadSafeFunction<void, JsCollective, on_js_thread>;

// One environment initialized the world (init refuses a second), so one
// settler and one count serve. The count is touched on the JS thread only:
// while it is above zero the settler keeps the event loop alive, so that
// node does not exit under an awaited collective.
Settler settler;
size_t js_in_flight = 0;

struct JsCollective final : Collective {
  JsCollective(Napi::Env env, Op op, Napi::TypedArrayOf<double> buffer, int root)
      : Collective(op, buffer.Data(), buffer.ElementLength(), root),
        deferred(Napi::Promise::Deferred::New(env)),
        buffer(Napi::Persistent(static_cast<Napi::Value>(buffer))) {}

  void settle() override {
    // Fails only while the environment is torn down; then nobody waits.
    settler.NonBlockingCall(this);
  }

  Napi::Promise::Deferred deferred;
  Napi::Reference<Napi::Value> buffer;
};

void on_js_thread(Napi::Env env, Napi::Function, void*, JsCollective* collective) {
  if (env == nullptr) return;  // teardown: leave it
  if (--js_in_flight == 0) settler.Unref(env);
  if (collective->failure == Failure::none) {
    collective->deferred.Resolve(env.Undefined());
  } else {
    collective->deferred.Reject(failure_error(env, collective->failure, collective->message).Value());
    if (collective->started) collective->buffer.SuppressDestruct();  // MPI may still use it: keep it forever
  }
  delete collective;
}

}  // namespace

void start_js_settling(Napi::Env env) {
  settler = Settler::New(env, "deltaprop-mpi", 0, 1);
  settler.Unref(env);
}

Napi::Promise submit_js(Napi::Env env, Collective::Op op, Napi::TypedArrayOf<double> buffer, int root) {
  auto* collective = new JsCollective(env, op, buffer, root);
  Napi::Promise promise = collective->deferred.Promise();
  const Failure refused = Progress::instance().submit(collective);
  if (refused != Failure::none) {
    collective->deferred.Reject(failure_error(env, refused, "the world was finalized").Value());
    delete collective;
    return promise;
  }
  if (js_in_flight++ == 0) settler.Ref(env);
  return promise;
}

Napi::Error failure_error(Napi::Env env, Failure failure, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, failure_code(failure)));
  return error;
}

}  // namespace deltaprop::mpi
