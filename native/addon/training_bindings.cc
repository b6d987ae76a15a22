// Training epochs in one call: synchronously over arrays JavaScript lends for
// the length of the call, or on a libuv worker thread (Napi::AsyncWorker)
// over a TrainingData, resolving a Promise so the event loop keeps running.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "../kernels/train.h"
#include "abort_flag.h"
#include "args.h"
#include "bindings.h"
#include "network_args.h"
#include "optimizer_args.h"
#include "state.h"
#include "training_data.h"

namespace deltaprop::addon {
namespace {

// trainEpoch(sizes, activations, bias, loss, reduction, l2, params,
//            optimizer, optimizerSettings, optimizerState, stepsTaken,
//            data (a TrainingData, or null with inputs and targets),
//            inputs | null, targets | null, inputShift | null, inputSpread | null,
//            order, batchSize, learningRate, clipNorm, dropout | null, randomState, abort | null, lossSumStart)
//   → { lossSum, correct, floored, minibatches, rows }
constexpr size_t kEpochArgs = 24;
constexpr size_t kParamsArg = 6;
constexpr size_t kOptimizerArg = 7;
constexpr size_t kStateArg = 9;
constexpr size_t kDataArg = 11;
constexpr size_t kInputsArg = 12;
constexpr size_t kTargetsArg = 13;
constexpr size_t kScalingArg = 14;
constexpr size_t kOrderArg = 16;
constexpr size_t kDropoutArg = 20;
constexpr size_t kRandomArg = 21;
constexpr size_t kAbortArg = 22;

// Where the rows come from: the addon's own TrainingData (kept alive by the
// epoch), or arrays borrowed for a synchronous call.
struct Rows {
  std::shared_ptr<Dataset> owned;
  const double* inputs = nullptr;
  const double* targets = nullptr;
  index_t count = 0;
};

// Everything an epoch needs, checked. Holds what the job points into.
struct CheckedEpoch {
  Layout layout;
  Rows rows;
  EpochJob job;
  std::vector<double> dropout_rates;  // empty: no dropout
  InputScaling scaling;
  std::vector<std::int32_t> order;    // the epoch's own copy: JavaScript's may change (or alias params)
  Xoshiro128 random;                  // the job's generator; copied back to randomState after the epoch
  std::shared_ptr<std::atomic<int>> abort;
};

Rows read_rows(const Args& args, const Layout& layout, bool may_borrow) {
  if (TrainingData::is(args.value(kDataArg)) || !may_borrow) {
    std::shared_ptr<Dataset> data = TrainingData::read(args, kDataArg);
    if (data->input_width != layout.inputs() || data->output_width != layout.outputs()) {
      args.fail("data", "its widths (" + std::to_string(data->input_width) + " in, " + std::to_string(data->output_width) +
                            " out) do not match the layout's (" + std::to_string(layout.inputs()) + ", " +
                            std::to_string(layout.outputs()) + ")");
    }
    Rows rows{data, data->inputs.data(), data->targets.data(), data->rows};
    return rows;
  }
  if (!args.value(kDataArg).IsNull()) args.fail("data", "expected a TrainingData made by this addon, or null with inputs and targets");
  const auto inputs = args.float64(kInputsArg, "inputs");
  const auto targets = args.float64(kTargetsArg, "targets");
  if (inputs.length % layout.inputs() != 0) args.fail("inputs", "expected whole rows of " + std::to_string(layout.inputs()) + " values");
  const index_t count = inputs.length / layout.inputs();
  if (targets.length != count * layout.outputs()) {
    args.fail("targets", "expected " + std::to_string(count * layout.outputs()) + " values (one row per input row)");
  }
  return {nullptr, inputs.data, targets.data, count};
}

std::vector<double> read_dropout(const Args& args, const Layout& layout) {
  const auto rates = args.optional_float64(kDropoutArg, "dropout");
  if (!rates.present) return {};
  if (rates.length != layout.layer_count()) {
    args.fail("dropout", "expected " + std::to_string(layout.layer_count()) + " rates (one per layer), got " + std::to_string(rates.length));
  }
  for (index_t l = 0; l < rates.length; ++l) {
    if (!(rates.data[l] >= 0.0 && rates.data[l] < 1.0)) args.fail("dropout", "expected rates in [0, 1), got " + format_number(rates.data[l]));
  }
  if (rates.data[rates.length - 1] != 0.0) args.fail("dropout", "the output layer cannot have dropout");
  return {rates.data, rates.data + rates.length};
}

Xoshiro128 read_random(const Args& args) {
  const auto words = args.uint32(kRandomArg, "randomState");
  if (words.length != 4) args.fail("randomState", "expected 4 words, got " + std::to_string(words.length));
  Xoshiro128 random{{words.data[0], words.data[1], words.data[2], words.data[3]}};
  if ((random.s[0] | random.s[1] | random.s[2] | random.s[3]) == 0) args.fail("randomState", "expected words not all zero");
  return random;
}

CheckedEpoch read_epoch(const Args& args, bool may_borrow) {
  CheckedEpoch e{read_layout(args, 0), {}, {}, {}, {}, {}, {}, {}};
  const Layout& layout = e.layout;
  e.rows = read_rows(args, layout, may_borrow);
  const Objective objective = read_objective(args, 3, layout.activations.back());
  const auto params = read_params(args, kParamsArg, layout);
  const CheckedOptimizer optimizer = read_optimizer(args, kOptimizerArg, layout);
  e.scaling = read_input_scaling(args, kScalingArg, layout);
  const auto order = args.int32(kOrderArg, "order");
  const index_t batch_size = args.integer(17, "batchSize", 1);
  const double learning_rate = args.finite(18, "learningRate");
  const double clip_norm = args.finite(19, "clipNorm");
  if (clip_norm < 0.0) args.fail("clipNorm", "expected a number ≥ 0 (0: no clipping), got " + format_number(clip_norm));
  e.dropout_rates = read_dropout(args, layout);
  e.random = read_random(args);
  e.abort = AbortFlag::read(args, kAbortArg);
  const double loss_sum_start = args.finite(23, "lossSumStart");
  // Copied before checking, so that what was checked is what is used.
  e.order.assign(order.data, order.data + order.length);
  for (const std::int32_t row : e.order) {
    if (row < 0 || row >= e.rows.count) args.fail("order", "row index " + std::to_string(row) + " out of range");
  }
  const OptimizerState state{optimizer.state.data, layout.parameter_count, state_slots(optimizer.settings)};
  if (e.rows.owned == nullptr) {
    // Borrowed rows are read while params and the state are written: they must not share memory.
    const index_t input_span = e.rows.count * layout.inputs();
    const index_t target_span = e.rows.count * layout.outputs();
    const index_t state_span = state.slots * state.parameters;
    for (const auto& [rows, span, name] : {std::tuple{e.rows.inputs, input_span, "inputs"}, std::tuple{e.rows.targets, target_span, "targets"}}) {
      if (share_memory(rows, span, params.data, layout.parameter_count) || share_memory(rows, span, optimizer.state.data, state_span)) {
        args.fail(name, "shares memory with params or optimizerState, which the epoch writes while it reads the rows");
      }
    }
  }
  e.job = {nullptr, objective, params.data, optimizer.settings, state, optimizer.steps_taken, e.rows.inputs, {},
           e.rows.targets, nullptr, static_cast<index_t>(e.order.size()), batch_size, learning_rate, clip_norm, nullptr,
           nullptr, nullptr, loss_sum_start};
  return e;
}

// Points the job at what `e` itself holds (which moved since read_epoch).
void bind(CheckedEpoch& e) {
  e.job.layout = &e.layout;
  e.job.order = e.order.data();
  e.job.dropout_rates = e.dropout_rates.empty() ? nullptr : e.dropout_rates.data();
  e.job.input_columns = e.scaling.columns();
  e.job.random = &e.random;
  e.job.abort = e.abort.get();
}

Napi::Object result_object(Napi::Env env, const EpochResult& r) {
  auto result = Napi::Object::New(env);
  result.Set("lossSum", Napi::Number::New(env, r.loss_sum));
  result.Set("correct", Napi::Number::New(env, static_cast<double>(r.correct)));
  result.Set("floored", Napi::Number::New(env, static_cast<double>(r.floored)));
  result.Set("minibatches", Napi::Number::New(env, static_cast<double>(r.minibatches)));
  result.Set("rows", Napi::Number::New(env, static_cast<double>(r.rows)));
  return result;
}

void copy_random_back(const Napi::Value& array, const Xoshiro128& random) {
  auto words = array.As<Napi::Uint32Array>();
  if (words.ElementLength() == 4 && words.Data() != nullptr) std::copy(random.s, random.s + 4, words.Data());
}

// Counts the epochs running on a dataset, so that setRows refuses meanwhile.
class RunningOn {
 public:
  explicit RunningOn(std::shared_ptr<Dataset> data) : data_(std::move(data)) {
    if (data_) data_->epochs_running.fetch_add(1);
  }
  ~RunningOn() {
    if (data_) data_->epochs_running.fetch_sub(1);
  }
  RunningOn(const RunningOn&) = delete;
  RunningOn& operator=(const RunningOn&) = delete;

 private:
  std::shared_ptr<Dataset> data_;
};

Napi::Value TrainEpoch(const Napi::CallbackInfo& info) {
  const Args args(info, "trainEpoch", kEpochArgs);
  CheckedEpoch e = read_epoch(args, true);
  bind(e);
  const RunningOn running(e.rows.owned);
  const EpochResult result = train_epoch(state(args.env()).engine(), e.job);
  copy_random_back(info[kRandomArg], e.random);
  return result_object(args.env(), result);
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
  RunningOn running_;
  const KernelSet* kernels_;
  std::shared_ptr<ThreadPool> pool_;  // kept alive until the epoch ends
  int threads_;
  Napi::Promise::Deferred deferred_;
  std::vector<double> params_, state_;
  Napi::ObjectReference params_array_, state_array_, random_array_;
  EpochResult result_;
};

Napi::Value TrainEpochAsync(const Napi::CallbackInfo& info) {
  const Args args(info, "trainEpochAsync", kEpochArgs);
  auto* worker = new EpochWorker(info, read_epoch(args, false));  // deleted by node-addon-api after OnOK/OnError
  const Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

}  // namespace

void register_training(Napi::Env env, Napi::Object exports) {
  exports.Set("trainEpoch", Napi::Function::New(env, TrainEpoch, "trainEpoch"));
  exports.Set("trainEpochAsync", Napi::Function::New(env, TrainEpochAsync, "trainEpochAsync"));
}

}  // namespace deltaprop::addon
