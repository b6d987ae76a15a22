// The engine's settings as JS sees them: which ISA runs the kernels, how many
// threads they may use; and two diagnostics: the vector exp (for its accuracy
// tests) and the FMA peak probe (for the benchmarks).
#include <chrono>
#include <initializer_list>
#include <utility>
#include <string>

#include "../kernels/isa.h"
#include "args.h"
#include "epoch_args.h"
#include "napi_arguments.h"
#include "optimizer_args.h"
#include "bindings.h"
#include "kernel_calls.h"
#include "state.h"

namespace deltaprop::addon {

AddonState& state(Napi::Env env) { return *env.GetInstanceData<AddonState>(); }

namespace {

Napi::Array isa_names(Napi::Env env, const std::vector<Isa>& isas) {
  auto names = Napi::Array::New(env, isas.size());
  for (uint32_t i = 0; i < isas.size(); ++i) names.Set(i, isa_name(isas[i]));
  return names;
}

// engineInfo() → { isa, supportedIsas, threads }
Napi::Value EngineInfo(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  const Args args(list, "engineInfo", 0);
  const AddonState& s = state(info.Env());
  auto result = Napi::Object::New(info.Env());
  result.Set("isa", isa_name(s.isa));
  result.Set("supportedIsas", isa_names(info.Env(), supported_isas()));
  result.Set("threads", Napi::Number::New(info.Env(), s.threads));
  return result;
}

// setIsa(name): only an ISA this CPU supports.
void SetIsa(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  const Args args(list, "setIsa", 1);
  if (!list.value(0).IsString()) args.fail("isa", "expected a string");
  const std::string name = list.value(0).As<Napi::String>().Utf8Value();
  Isa isa;
  if (!parse_isa(name, &isa)) args.fail("isa", "unknown ISA '" + name + "'");
  for (Isa supported : supported_isas()) {
    if (supported == isa) {
      state(info.Env()).isa = isa;
      return;
    }
  }
  args.fail("isa", "'" + name + "' is not supported by this CPU or build");
}

// setThreads(n): the pool used by every later call (running epochs keep theirs).
void SetThreads(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  const Args args(list, "setThreads", 1);
  const int threads = static_cast<int>(args.integer(0, "threads", 1, kMaxThreads));
  AddonState& s = state(info.Env());
  if (s.pool->size() < threads) s.pool = std::make_shared<ThreadPool>(threads);
  s.threads = threads;
}

void VectorExp(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  call_vector_exp(Args(list, "vectorExp", kVectorExpArgs), state(info.Env()).engine());
}

// peakProbe(iterations, threads) → GFLOP/s of the widest ISA's multiply-add
// units, all `threads` running the probe at once (the benchmarks' yardstick).
Napi::Value PeakProbe(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  const Args args(list, "peakProbe", 2);
  const index_t iterations = args.integer(0, "iterations", 1, index_t{1} << 40);
  const int threads = static_cast<int>(args.integer(1, "threads", 1, kMaxThreads));
  const KernelSet& kernels = kernels_for(best_isa());
  ThreadPool pool(threads);
  std::vector<double> flops(static_cast<size_t>(threads));
  const auto start = std::chrono::steady_clock::now();
  pool.run(threads, [&](int t) { flops[static_cast<size_t>(t)] = kernels.peak_probe(iterations); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double total = 0.0;
  for (double f : flops) total += f;
  return Napi::Number::New(info.Env(), total / seconds / 1e9);
}

Napi::Object named_codes(Napi::Env env, std::initializer_list<std::pair<const char*, int>> codes) {
  auto object = Napi::Object::New(env);
  for (const auto& [name, code] : codes) object.Set(name, Napi::Number::New(env, code));
  return object;
}

// The limits and codes the TypeScript layer keeps its own copies of
// (test/constants.test.ts compares them).
Napi::Object constants(Napi::Env env) {
  auto result = Napi::Object::New(env);
  result.Set("maxUnits", Napi::Number::New(env, static_cast<double>(kMaxUnits)));
  result.Set("maxParameters", Napi::Number::New(env, static_cast<double>(kMaxParameters)));
  result.Set("maxThreads", Napi::Number::New(env, static_cast<double>(kMaxThreads)));
  result.Set("activations", named_codes(env, {{"identity", static_cast<int>(Activation::Identity)},
                                              {"sigmoid", static_cast<int>(Activation::Sigmoid)},
                                              {"tanh", static_cast<int>(Activation::Tanh)},
                                              {"relu", static_cast<int>(Activation::Relu)},
                                              {"softmax", static_cast<int>(Activation::Softmax)}}));
  result.Set("losses", named_codes(env, {{"mse", static_cast<int>(Loss::Mse)},
                                         {"binaryCrossEntropy", static_cast<int>(Loss::BinaryCrossEntropy)},
                                         {"crossEntropy", static_cast<int>(Loss::CrossEntropy)}}));
  result.Set("reductions", named_codes(env, {{"mean", static_cast<int>(Reduction::Mean)},
                                             {"sum", static_cast<int>(Reduction::Sum)}}));
  result.Set("optimizers", named_codes(env, {{"sgd", static_cast<int>(Optimizer::Sgd)},
                                             {"adam", static_cast<int>(Optimizer::Adam)},
                                             {"adamw", static_cast<int>(Optimizer::AdamW)},
                                             {"rmsprop", static_cast<int>(Optimizer::RmsProp)}}));
  auto settings = Napi::Array::New(env, kOptimizerSettingCount);
  for (uint32_t i = 0; i < kOptimizerSettingCount; ++i) settings.Set(i, kOptimizerSettingNames[i]);
  result.Set("optimizerSettings", settings);
  auto epoch_arguments = Napi::Array::New(env, kEpochArgs);
  for (uint32_t i = 0; i < kEpochArgs; ++i) epoch_arguments.Set(i, kEpochArgNames[i]);
  result.Set("epochArguments", epoch_arguments);
  return result;
}

}  // namespace

void register_engine(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new AddonState());
  exports.Set("engineInfo", Napi::Function::New(env, EngineInfo, "engineInfo"));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa, "setIsa"));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  exports.Set("vectorExp", Napi::Function::New(env, VectorExp, "vectorExp"));
  exports.Set("peakProbe", Napi::Function::New(env, PeakProbe, "peakProbe"));
  exports.Set("constants", constants(env));
}

}  // namespace deltaprop::addon
