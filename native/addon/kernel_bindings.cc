// The low-level kernels of the Backend contract, as N-API functions over kernel_calls.h.
#include "bindings.h"
#include "kernel_calls.h"
#include "napi_arguments.h"
#include "state.h"

namespace deltaprop::addon {
namespace {

void Gemm(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  call_gemm(Args(list, "gemm", kGemmArgs), state(info.Env()).engine());
}

Napi::Value Overlaps(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  return Napi::Boolean::New(info.Env(), call_overlaps(Args(list, "overlaps", kOverlapsArgs)));
}

void ForwardLayer(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  call_forward_layer(Args(list, "forwardLayer", kForwardLayerArgs), state(info.Env()).engine());
}

void BackpropDelta(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  call_backprop_delta(Args(list, "backpropDelta", kBackpropDeltaArgs), state(info.Env()).engine());
}

Napi::Value OutputDelta(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  const double loss = call_output_delta(Args(list, "outputDelta", kOutputDeltaArgs), state(info.Env()).engine());
  return Napi::Number::New(info.Env(), loss);
}

void OptimizerStep(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  call_optimizer_step(Args(list, "optimizerStep", kOptimizerStepArgs), state(info.Env()).engine());
}

}  // namespace

void register_kernels(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, Gemm, "gemm"));
  exports.Set("overlaps", Napi::Function::New(env, Overlaps, "overlaps"));
  exports.Set("forwardLayer", Napi::Function::New(env, ForwardLayer, "forwardLayer"));
  exports.Set("backpropDelta", Napi::Function::New(env, BackpropDelta, "backpropDelta"));
  exports.Set("outputDelta", Napi::Function::New(env, OutputDelta, "outputDelta"));
  exports.Set("optimizerStep", Napi::Function::New(env, OptimizerStep, "optimizerStep"));
}

}  // namespace deltaprop::addon
