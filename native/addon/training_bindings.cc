// Training epochs in one call: synchronously over arrays JavaScript lends for
// the length of the call, or on a libuv worker thread (Napi::AsyncWorker)
// over a TrainingData, resolving a Promise so the event loop keeps running;
// the epochs of several networks at once (trainEpochsAsync) likewise.
#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
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

// One epoch run off the JavaScript thread, never touching memory JavaScript
// owns: while it runs, JavaScript may modify, detach or resize the arrays it
// was given. The data set is the addon's own (shared, kept alive here);
// params, the optimizer's state, order and the generator are copied in, and
// params, state and generator are copied back on the main thread, all or
// none, if those arrays still have their length.
class DetachedEpoch {
 public:
  DetachedEpoch(const NapiArguments& list, CheckedEpoch epoch) : epoch_(std::move(epoch)), running_(epoch_.rows.owned) {
    const EpochJob& j = epoch_.job;
    params_.assign(j.params, j.params + epoch_.layout.parameter_count);
    state_.assign(j.state.buffer, j.state.buffer + j.state.slots * j.state.parameters);
    bind(epoch_);
    epoch_.job.params = params_.data();
    epoch_.job.state.buffer = state_.data();
    params_array_ = Napi::Persistent(list.value(kParamsArg).As<Napi::Object>());
    state_array_ = Napi::Persistent(list.value(kStateArg).As<Napi::Object>());
    random_array_ = Napi::Persistent(list.value(kRandomArg).As<Napi::Object>());
  }

  // On the worker thread. An exception (memory, a failed data-parallel sum) is kept for settle().
  void run(const Engine& engine) {
    try {
      result_ = train_epoch(engine, epoch_.job);
    } catch (const std::exception& e) {
      error_ = e.what();
    } catch (...) {
      error_ = "unknown error";
    }
  }

  struct Outcome {
    bool ok;
    Napi::Value value;  // the result object, or the Error the epoch ended with
  };

  // On the main thread.
  Outcome settle(Napi::Env env) {
    if (error_.has_value()) return {false, Napi::Error::New(env, *error_).Value()};
    // All or nothing: params, state and generator must stay consistent.
    if (!fits(params_array_, params_) || !fits(state_array_, state_) || !fits_random(random_array_)) {
      return {false, Napi::Error::New(env,
                                      "deltaprop native trainEpochAsync: params, optimizerState or randomState was "
                                      "detached or resized while the epoch ran; its new values were dropped")
                         .Value()};
    }
    copy_back(params_array_, params_);
    copy_back(state_array_, state_);
    copy_random_back(random_array_.Value(), epoch_.random);
    return {true, result_object(env, result_)};
  }

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
  std::vector<double> params_, state_;
  Napi::ObjectReference params_array_, state_array_, random_array_;
  EpochResult result_;
  std::optional<std::string> error_;
};

// Runs epochs on a libuv worker thread, resolving a Promise so the event loop
// keeps running. One epoch takes every thread of the engine for its
// products; several (of different networks: fitMany) are spread over the
// threads, each on one thread, the next one taken by whichever thread is
// free: for small networks one thread per network beats threads meeting at
// every product of every step. A product's result does not depend on its
// thread count, so neither does any epoch's.
class EpochWorker : public Napi::AsyncWorker {
 public:
  // `many`: the Promise resolves to an array of results and Errors, one per epoch; else to the one result (or
  // rejects). `threads`: at most this many of the engine's threads.
  EpochWorker(Napi::Env env, std::vector<std::unique_ptr<DetachedEpoch>> epochs, bool many, int threads)
      : Napi::AsyncWorker(env, "deltaprop.trainEpoch"),
        epochs_(std::move(epochs)),
        many_(many),
        kernels_(state(env).engine().kernels),
        pool_(state(env).pool),
        threads_(std::min(threads, state(env).threads)),
        deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override {
    if (epochs_.size() == 1) {
      epochs_[0]->run({kernels_, pool_.get(), threads_});
      return;
    }
    std::atomic<size_t> next{0};
    const Engine one_thread{kernels_, pool_.get(), 1};
    const int threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads_), epochs_.size()));
    pool_->run(threads, [&](int) {
      for (size_t i = next++; i < epochs_.size(); i = next++) epochs_[i]->run(one_thread);
    });
  }

  void OnOK() override {
    const Napi::Env env = Env();
    if (!many_) {
      const DetachedEpoch::Outcome outcome = epochs_[0]->settle(env);
      if (outcome.ok) deferred_.Resolve(outcome.value);
      else deferred_.Reject(outcome.value);
      return;
    }
    auto results = Napi::Array::New(env, epochs_.size());
    for (size_t i = 0; i < epochs_.size(); ++i) results.Set(static_cast<uint32_t>(i), epochs_[i]->settle(env).value);
    deferred_.Resolve(results);
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  std::vector<std::unique_ptr<DetachedEpoch>> epochs_;
  bool many_;
  const KernelSet* kernels_;
  std::shared_ptr<ThreadPool> pool_;  // kept alive until the epochs end
  int threads_;
  Napi::Promise::Deferred deferred_;
};

Napi::Promise queue_epochs(Napi::Env env, std::vector<std::unique_ptr<DetachedEpoch>> epochs, bool many, int threads) {
  auto* worker =
      new EpochWorker(env, std::move(epochs), many, threads);  // deleted by node-addon-api after OnOK/OnError
  const Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

Napi::Promise queue_one(const NapiArguments& list, CheckedEpoch epoch) {
  std::vector<std::unique_ptr<DetachedEpoch>> epochs;
  epochs.push_back(std::make_unique<DetachedEpoch>(list, std::move(epoch)));
  return queue_epochs(list.env(), std::move(epochs), false, state(list.env()).threads);
}

Napi::Value TrainEpochAsync(const Napi::CallbackInfo& info) {
  const NapiArguments list(info);
  return queue_one(list, read_call(list, Args(list, "trainEpochAsync", kEpochArgs), false));
}

// trainEpochsAsync([args of trainEpochAsync, …], threads): the epochs of
// several networks in one call on at most `threads` of the engine's threads
// (fitMany keeps two calls going, each with half), resolving to one result or
// Error per epoch, in order. Every epoch is checked before any runs.
Napi::Value TrainEpochsAsync(const Napi::CallbackInfo& info) {
  const NapiArguments outer(info);
  const Args args(outer, "trainEpochsAsync", 2);
  const int threads = static_cast<int>(args.integer(1, "threads", 1, kMaxThreads));
  const auto count = outer.list_length(0);
  if (!count.has_value() || *count == 0)
    args.fail("epochs", "expected a non-empty array of trainEpochAsync's argument lists");
  const NapiArguments lists(outer.value(0).As<Napi::Array>());
  std::vector<std::unique_ptr<DetachedEpoch>> epochs;
  for (size_t i = 0; i < lists.length(); ++i) {
    const Napi::Value value = lists.value(i);
    if (!value.IsArray()) args.fail("epochs", "expected every element to be an array of trainEpochAsync's arguments");
    const NapiArguments list(value.As<Napi::Array>());
    epochs.push_back(
        std::make_unique<DetachedEpoch>(list, read_call(list, Args(list, "trainEpochsAsync", kEpochArgs), false)));
  }
  return queue_epochs(info.Env(), std::move(epochs), true, threads);
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
  return queue_one(list, std::move(epoch));
}

}  // namespace

void register_training(Napi::Env env, Napi::Object exports) {
  exports.Set("trainEpoch", Napi::Function::New(env, TrainEpoch, "trainEpoch"));
  exports.Set("trainEpochAsync", Napi::Function::New(env, TrainEpochAsync, "trainEpochAsync"));
  exports.Set("trainEpochsAsync", Napi::Function::New(env, TrainEpochsAsync, "trainEpochsAsync"));
  exports.Set("trainEpochDataParallel", Napi::Function::New(env, TrainEpochDataParallel, "trainEpochDataParallel"));
}

}  // namespace deltaprop::addon
