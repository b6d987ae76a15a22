// Whole-network passes, as N-API functions over network_calls.h.
#include "bindings.h"
#include "napi_arguments.h"
#include "network_calls.h"
#include "state.h"

namespace deltaprop::addon {
namespace {

void Forward(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  call_forward(Args(list, "forward", kForwardArgs), state(info.Env()).engine());
}

Napi::Value Gradients(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  const double loss = call_gradients(Args(list, "gradients", kGradientsArgs), state(info.Env()).engine());
  return Napi::Number::New(info.Env(), loss);
}

}  // namespace

void register_network(Napi::Env env, Napi::Object exports) {
  exports.Set("forward", Napi::Function::New(env, Forward, "forward"));
  exports.Set("gradients", Napi::Function::New(env, Gradients, "gradients"));
}

}  // namespace deltaprop::addon
