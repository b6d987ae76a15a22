// Training epochs in one call: synchronously over arrays JavaScript lends for
// the length of the call, or on a libuv worker thread (Napi::AsyncWorker)
// over a TrainingData, resolving a Promise so the event loop keeps running.
#include <algorithm>
#include <memory>
#include <vector>

#include "abort_flag.h"
#include "bindings.h"
#include "epoch_args.h"
#include "mpi_reducer.h"
#include "napi_arguments.h"
#include "state.h"
#include "training_data.h"

namespace deltaprop::addon {
namespace {

// The epoch of a trainEpoch/trainEpochAsync call, checked, with its abort flag.
CheckedEpoch read_call(const NapiArguments& list, const Args& args, bool may_borrow) {
  CheckedEpoch e = read_epoch(args, TrainingData::dataset(list.value(kDataArg)), may_borrow);
  e.abort = AbortFlag::read(list.value(kAbortArg), args);
  return e;
}

Napi::Object result_object(Napi::Env env, const EpochResult& r) {
  auto result = Napi::Object::New(env);
  result.Set("lossSum", Napi::Number::New(env, r.loss_sum));
  result.Set("correct", Napi::Number::New(env, static_cast<double>(r.correct)));
  result.Set("floored", Napi::Number::New(env, static_cast<double>(r.floored)));
  result.Set("minibatches", Napi::Number::New(env, static_cast<double>(r.minibatches)));
  result.Set("rows", Napi::Number::New(env, static_cast<double>(r.rows)));
  result.Set("weightSum", Napi::Number::New(env, r.weight_sum));
  result.Set("steps", Napi::Number::New(env, static_cast<double>(r.steps)));
  return result;
}

void copy_random_back(const Napi::Value& array, const Xoshiro128& random) {
  auto words = array.As<Napi::Uint32Array>();
  if (words.ElementLength() == 4 && words.Data() != nullptr) std::copy(random.s, random.s + 4, words.Data());
}

Napi::Value TrainEpoch(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  CheckedEpoch e = read_call(list, Args(list, "trainEpoch", kEpochArgs), true);
  bind(e);
  const DatasetInUse running(e.rows.owned);
  const EpochResult result = train_epoch(state(info.Env()).engine(), e.job);
  copy_random_back(info[kRandomArg], e.random);
  return result_object(info.Env(), result);
}

// Runs the epoch on a worker thread, never touching memory JavaScript owns:
// while it runs, JavaScript may modify, detach or resize the arrays it was
// given. The data set is the addon's own (shared, kept alive by the worker);
// params, the optimizer's state, order and the generator are copied in, and
// params, state and generator are copied back on the main thread, all or
// none, if those arrays still have their length.
class EpochWorker : public Napi::AsyncWorker {
 public:
  EpochWorker(const Napi::CallbackInfo& info, CheckedEpoch epoch)
      : Napi::AsyncWorker(info.Env(), "deltaprop.trainEpoch"),
        epoch_(std::move(epoch)),
        running_(epoch_.rows.owned),
        kernels_(state(info.Env()).engine().kernels),
        pool_(state(info.Env()).pool),
        threads_(state(info.Env()).threads),
        deferred_(Napi::Promise::Deferred::New(info.Env())) {
    const EpochJob& j = epoch_.job;
    params_.assign(j.params, j.params + epoch_.layout.parameter_count);
    state_.assign(j.state.buffer, j.state.buffer + j.state.slots * j.state.parameters);
    bind(epoch_);
    epoch_.job.params = params_.data();
    epoch_.job.state.buffer = state_.data();
    params_array_ = Napi::Persistent(info[kParamsArg].As<Napi::Object>());
    state_array_ = Napi::Persistent(info[kStateArg].As<Napi::Object>());
    random_array_ = Napi::Persistent(info[kRandomArg].As<Napi::Object>());
  }

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override { result_ = train_epoch({kernels_, pool_.get(), threads_}, epoch_.job); }

  void OnOK() override {
    // All or nothing: params, state and generator must stay consistent.
    if (!fits(params_array_, params_) || !fits(state_array_, state_) || !fits_random(random_array_)) {
      deferred_.Reject(Napi::Error::New(Env(), "deltaprop native trainEpochAsync: params, optimizerState or randomState was "
                                               "detached or resized while the epoch ran; its new values were dropped").Value());
      return;
    }
    copy_back(params_array_, params_);
    copy_back(state_array_, state_);
    copy_random_back(random_array_.Value(), epoch_.random);
    deferred_.Resolve(result_object(Env(), result_));
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  static bool fits(const Napi::ObjectReference& ref, const std::vector<double>& values) {
    auto array = ref.Value().As<Napi::Float64Array>();
    return array.ElementLength() == values.size() && (array.Data() != nullptr || values.empty());
  }

  static bool fits_random(const Napi::ObjectReference& ref) {
    auto words = ref.Value().As<Napi::Uint32Array>();
    return words.ElementLength() == 4 && words.Data() != nullptr;
  }

  static void copy_back(const Napi::ObjectReference& ref, const std::vector<double>& values) {
    if (!values.empty()) std::copy(values.begin(), values.end(), ref.Value().As<Napi::Float64Array>().Data());
  }

  CheckedEpoch epoch_;
  DatasetInUse running_;
  const KernelSet* kernels_;
  std::shared_ptr<ThreadPool> pool_;  // kept alive until the epoch ends
  int threads_;
  Napi::Promise::Deferred deferred_;
  std::vector<double> params_, state_;
  Napi::ObjectReference params_array_, state_array_, random_array_;
  EpochResult result_;
};

Napi::Value TrainEpochAsync(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  auto* worker = new EpochWorker(info, read_call(list, Args(list, "trainEpochAsync", kEpochArgs), false));  // deleted by node-addon-api after OnOK/OnError
  const Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

// trainEpochDataParallel(...trainEpochAsync's arguments, reducer, rank, ranks):
// this process's share of a data-parallel epoch (train.h's DataParallel), on
// a worker thread like trainEpochAsync: the reducer's waits never block
// JavaScript.
constexpr size_t kReducerArg = kEpochArgs;

Napi::Value TrainEpochDataParallel(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  const Args args(list, "trainEpochDataParallel", kEpochArgs + 3);
  CheckedEpoch epoch = read_call(list, args, false);
  const index_t ranks = args.integer(kReducerArg + 2, "ranks", 1, 1 << 20);
  epoch.parallel.rank = args.integer(kReducerArg + 1, "rank", 0, ranks - 1);
  epoch.parallel.ranks = ranks;
  check_data_parallel(args, epoch);
  epoch.reducer = read_mpi_reducer(info.Env(), info[kReducerArg]);
  auto* worker = new EpochWorker(info, std::move(epoch));  // deleted by node-addon-api after OnOK/OnError
  const Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

}  // namespace

void register_training(Napi::Env env, Napi::Object exports) {
  exports.Set("trainEpoch", Napi::Function::New(env, TrainEpoch, "trainEpoch"));
  exports.Set("trainEpochAsync", Napi::Function::New(env, TrainEpochAsync, "trainEpochAsync"));
  exports.Set("trainEpochDataParallel", Napi::Function::New(env, TrainEpochDataParallel, "trainEpochDataParallel"));
}

}  // namespace deltaprop::addon
