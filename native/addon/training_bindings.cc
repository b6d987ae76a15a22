// One training epoch in one call: synchronously, or on a libuv worker thread
// (Napi::AsyncWorker) resolving a Promise so the event loop keeps running.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../kernels/train.h"
#include "args.h"
#include "bindings.h"
#include "network_args.h"
#include "state.h"
#include "training_data.h"

namespace deltaprop::addon {
namespace {

// Everything an epoch needs, checked. Holds the Layout and the dataset the job points into.
struct CheckedEpoch {
  Layout layout;
  std::shared_ptr<const Dataset> data;
  EpochJob job;
  index_t velocity_length;  // 0 without momentum
};

// trainEpoch(sizes, activations, bias, loss, reduction, l2, params, velocity | null,
//            data (a TrainingData), order, batchSize, learningRate, momentum)
constexpr size_t kEpochArgs = 13;
constexpr size_t kParamsArg = 6;
constexpr size_t kVelocityArg = 7;

CheckedEpoch read_epoch(const Args& args) {
  CheckedEpoch e{read_layout(args, 0), TrainingData::read(args, 8), {}, 0};
  const Layout& layout = e.layout;
  const Dataset& data = *e.data;
  const Objective objective = read_objective(args, 3, layout.activations.back());
  const auto params = read_params(args, kParamsArg, layout);
  const auto velocity = args.optional_float64(kVelocityArg, "velocity");
  const auto order = args.int32(9, "order");
  const index_t batch_size = args.integer(10, "batchSize", 1);
  const double learning_rate = args.finite(11, "learningRate");
  const double momentum = args.finite(12, "momentum");
  const index_t rows = data.rows;
  if (velocity.present) args.require_length("velocity", velocity, layout.parameter_count);
  if (data.input_width != layout.inputs() || data.output_width != layout.outputs()) {
    args.fail("data", "its widths (" + std::to_string(data.input_width) + " in, " + std::to_string(data.output_width) +
                          " out) do not match the layout's (" + std::to_string(layout.inputs()) + ", " +
                          std::to_string(layout.outputs()) + ")");
  }
  if (order.length != rows) args.fail("order", "expected " + std::to_string(rows) + " row indices, got " + std::to_string(order.length));
  for (index_t i = 0; i < rows; ++i) {
    if (order.data[i] < 0 || order.data[i] >= rows) args.fail("order", "row index " + std::to_string(order.data[i]) + " out of range");
  }
  OptimizerSettings sgd;
  sgd.momentum = momentum;
  const OptimizerState state{velocity.present ? velocity.data : nullptr, layout.parameter_count, velocity.present ? 1 : 0};
  e.job = {nullptr, objective, params.data, sgd, state, 0, data.inputs.data(), data.targets.data(), rows, order.data,
           batch_size, learning_rate};
  e.velocity_length = velocity.present ? layout.parameter_count : 0;
  return e;
}

Napi::Value TrainEpoch(const Napi::CallbackInfo& info) {
  const Args args(info, "trainEpoch", kEpochArgs);
  CheckedEpoch e = read_epoch(args);
  e.job.layout = &e.layout;
  return Napi::Number::New(args.env(), train_epoch(state(args.env()).engine(), e.job));
}

// Runs the epoch on a worker thread, never touching memory JavaScript owns:
// while it runs, JavaScript may modify, detach or resize the arrays it was
// given. The data set is the addon's own (shared, kept alive by the worker);
// params, velocity and order are copied in, and the new params and velocity
// are copied back on the main thread, if those arrays still have their length.
class EpochWorker : public Napi::AsyncWorker {
 public:
  EpochWorker(const Napi::CallbackInfo& info, CheckedEpoch epoch)
      : Napi::AsyncWorker(info.Env(), "deltaprop.trainEpoch"),
        epoch_(std::move(epoch)),
        kernels_(state(info.Env()).engine().kernels),
        pool_(state(info.Env()).pool),
        threads_(state(info.Env()).threads),
        deferred_(Napi::Promise::Deferred::New(info.Env())) {
    const EpochJob& j = epoch_.job;
    const Layout& layout = epoch_.layout;
    params_.assign(j.params, j.params + layout.parameter_count);
    velocity_.assign(j.state.buffer, j.state.buffer + epoch_.velocity_length);
    order_.assign(j.order, j.order + j.rows);
    epoch_.job.layout = &epoch_.layout;
    epoch_.job.params = params_.data();
    epoch_.job.state.buffer = velocity_.empty() ? nullptr : velocity_.data();
    epoch_.job.order = order_.data();
    params_array_ = Napi::Persistent(info[kParamsArg].As<Napi::Object>());
    if (!velocity_.empty()) velocity_array_ = Napi::Persistent(info[kVelocityArg].As<Napi::Object>());
  }

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override { loss_ = train_epoch({kernels_, pool_.get(), threads_}, epoch_.job); }

  void OnOK() override {
    if (!copy_back(params_array_, params_) || (!velocity_.empty() && !copy_back(velocity_array_, velocity_))) {
      deferred_.Reject(Napi::Error::New(Env(), "deltaprop native trainEpochAsync: params or velocity was detached or "
                                               "resized while the epoch ran; its new values were dropped").Value());
      return;
    }
    deferred_.Resolve(Napi::Number::New(Env(), loss_));
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  static bool copy_back(const Napi::ObjectReference& ref, const std::vector<double>& values) {
    auto array = ref.Value().As<Napi::Float64Array>();
    if (array.ElementLength() != values.size() || (array.Data() == nullptr && !values.empty())) return false;
    std::copy(values.begin(), values.end(), array.Data());
    return true;
  }

  CheckedEpoch epoch_;
  const KernelSet* kernels_;
  std::shared_ptr<ThreadPool> pool_;  // kept alive until the epoch ends
  int threads_;
  Napi::Promise::Deferred deferred_;
  std::vector<double> params_, velocity_;
  std::vector<std::int32_t> order_;
  Napi::ObjectReference params_array_, velocity_array_;
  double loss_ = 0.0;
};

Napi::Value TrainEpochAsync(const Napi::CallbackInfo& info) {
  const Args args(info, "trainEpochAsync", kEpochArgs);
  auto* worker = new EpochWorker(info, read_epoch(args));  // deleted by node-addon-api after OnOK/OnError
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
