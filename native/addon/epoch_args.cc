#include "epoch_args.h"

#include <string>
#include <tuple>

#include "optimizer_args.h"

namespace deltaprop::addon {
namespace {

constexpr size_t kLayoutArg = epoch_arg("sizes");
constexpr size_t kObjectiveArg = epoch_arg("loss");
constexpr size_t kOptimizerArg = epoch_arg("optimizer");
constexpr size_t kInputsArg = epoch_arg("inputs");
constexpr size_t kTargetsArg = epoch_arg("targets");
constexpr size_t kWeightsArg = epoch_arg("weights");
constexpr size_t kScalingArg = epoch_arg("inputShift");
constexpr size_t kOrderArg = epoch_arg("order");
constexpr size_t kBatchSizeArg = epoch_arg("batchSize");
constexpr size_t kLearningRateArg = epoch_arg("learningRate");
constexpr size_t kClipNormArg = epoch_arg("clipNorm");
constexpr size_t kDropoutArg = epoch_arg("dropout");
constexpr size_t kLossSumStartArg = epoch_arg("lossSumStart");

// The shared readers take a first position and read on from it, in their own order.
static_assert(epoch_arg("activations") == kLayoutArg + 1 && epoch_arg("bias") == kLayoutArg + 2,
              "read_layout reads sizes, activations, bias");
static_assert(epoch_arg("reduction") == kObjectiveArg + 1 && epoch_arg("l2") == kObjectiveArg + 2,
              "read_objective reads loss, reduction, l2");
static_assert(epoch_arg("optimizerSettings") == kOptimizerArg + 1 && kStateArg == kOptimizerArg + 2 &&
                  epoch_arg("stepsTaken") == kOptimizerArg + 3,
              "read_optimizer reads optimizer, optimizerSettings, optimizerState, stepsTaken");
static_assert(epoch_arg("inputSpread") == kScalingArg + 1, "read_input_scaling reads inputShift, inputSpread");

Rows read_rows(const Args& args, const Layout& layout, std::shared_ptr<Dataset> data, bool may_borrow) {
  if (data != nullptr) {
    if (data->input_width != layout.inputs() || data->output_width != layout.outputs()) {
      args.fail("data", "its widths (" + std::to_string(data->input_width) + " in, " +
                            std::to_string(data->output_width) + " out) do not match the layout's (" +
                            std::to_string(layout.inputs()) + ", " + std::to_string(layout.outputs()) + ")");
    }
    if (!args.is_absent(kWeightsArg))
      args.fail("weights", "expected null with a TrainingData (its weights are its own)");
    const Dataset& d = *data;
    return {std::move(data), d.inputs.data(), d.targets.data(), d.rows, {}};
  }
  if (!may_borrow) args.fail("data", "expected a TrainingData made by this addon");
  if (!args.is_absent(kDataArg))
    args.fail("data", "expected a TrainingData made by this addon, or null with inputs and targets");
  const auto inputs = args.float64(kInputsArg, "inputs");
  const auto targets = args.float64(kTargetsArg, "targets");
  if (inputs.length % layout.inputs() != 0)
    args.fail("inputs", "expected whole rows of " + std::to_string(layout.inputs()) + " values");
  const index_t count = inputs.length / layout.inputs();
  if (targets.length != count * layout.outputs()) {
    args.fail("targets", "expected " + std::to_string(count * layout.outputs()) + " values (one row per input row)");
  }
  return {nullptr, inputs.data, targets.data, count, read_row_weights(args, kWeightsArg, count)};
}

std::vector<double> read_dropout(const Args& args, const Layout& layout) {
  const auto rates = args.optional_float64(kDropoutArg, "dropout");
  if (!rates.present) return {};
  if (rates.length != layout.layer_count()) {
    args.fail("dropout", "expected " + std::to_string(layout.layer_count()) + " rates (one per layer), got " +
                             std::to_string(rates.length));
  }
  for (index_t l = 0; l < rates.length; ++l) {
    if (!(rates.data[l] >= 0.0 && rates.data[l] < 1.0))
      args.fail("dropout", "expected rates in [0, 1), got " + format_number(rates.data[l]));
  }
  if (rates.data[rates.length - 1] != 0.0) args.fail("dropout", "the output layer cannot have dropout");
  return {rates.data, rates.data + rates.length};
}

Xoshiro128 read_random(const Args& args) {
  const auto words = args.uint32(kRandomArg, "randomState");
  if (words.length != 4) args.fail("randomState", "expected 4 words, got " + std::to_string(words.length));
  Xoshiro128 random{{words.data[0], words.data[1], words.data[2], words.data[3]}};
  if ((random.s[0] | random.s[1] | random.s[2] | random.s[3]) == 0)
    args.fail("randomState", "expected words not all zero");
  return random;
}

// Borrowed rows are read while params and the state are written: they must not share memory.
void refuse_rows_sharing_memory(const Args& args, const Rows& rows, const Layout& layout,
                                const ArrayView<double>& params, const OptimizerState& state) {
  const index_t input_span = rows.count * layout.inputs();
  const index_t target_span = rows.count * layout.outputs();
  const index_t state_span = state.slots * state.parameters;
  for (const auto& [data, span, name] :
       {std::tuple{rows.inputs, input_span, "inputs"}, std::tuple{rows.targets, target_span, "targets"}}) {
    if (share_memory(data, span, params.data, layout.parameter_count) ||
        share_memory(data, span, state.buffer, state_span)) {
      args.fail(name, "shares memory with params or optimizerState, which the epoch writes while it reads the rows");
    }
  }
}

}  // namespace

CheckedEpoch read_epoch(const Args& args, std::shared_ptr<Dataset> data, bool may_borrow) {
  CheckedEpoch e{read_layout(args, kLayoutArg), {}, {}, {}, {}, {}, {}, {}, {}, {}};
  const Layout& layout = e.layout;
  e.rows = read_rows(args, layout, std::move(data), may_borrow);
  const Objective objective = read_objective(args, kObjectiveArg, layout.activations.back());
  const auto params = read_params(args, kParamsArg, layout);
  const CheckedOptimizer optimizer = read_optimizer(args, kOptimizerArg, layout);
  e.scaling = read_input_scaling(args, kScalingArg, layout);
  const auto order = args.int32(kOrderArg, "order");
  const index_t batch_size = args.integer(kBatchSizeArg, "batchSize", 1);
  const double learning_rate = args.finite(kLearningRateArg, "learningRate");
  const double clip_norm = args.finite(kClipNormArg, "clipNorm");
  if (clip_norm < 0.0) args.fail("clipNorm", "expected a number ≥ 0 (0: no clipping), got " + format_number(clip_norm));
  e.dropout_rates = read_dropout(args, layout);
  e.random = read_random(args);
  // A sum an earlier slice of a diverging epoch made infinite or NaN goes on as it is: the epoch's end finds the divergence.
  const double loss_sum_start = args.number(kLossSumStartArg, "lossSumStart");
  // Copied before checking, so that what was checked is what is used.
  e.order.assign(order.data, order.data + order.length);
  for (const std::int32_t row : e.order) {
    if (row < 0 || row >= e.rows.count) args.fail("order", "row index " + std::to_string(row) + " out of range");
  }
  const OptimizerState state{optimizer.state.data, layout.parameter_count, state_slots(optimizer.settings)};
  if (e.rows.owned == nullptr) refuse_rows_sharing_memory(args, e.rows, layout, params, state);
  e.job = {nullptr,        objective,
           params.data,    optimizer.settings,
           state,          optimizer.steps_taken,
           e.rows.inputs,  {},
           e.rows.targets, nullptr,
           nullptr,        static_cast<index_t>(e.order.size()),
           batch_size,     learning_rate,
           clip_norm,      nullptr,
           nullptr,        nullptr,
           loss_sum_start, nullptr};
  return e;
}

void bind(CheckedEpoch& e) {
  e.job.layout = &e.layout;
  e.job.order = e.order.data();
  e.job.weights = e.rows.weights();
  e.job.dropout_rates = e.dropout_rates.empty() ? nullptr : e.dropout_rates.data();
  e.job.input_columns = e.scaling.columns();
  e.job.random = &e.random;
  e.job.abort = e.abort.get();
  e.parallel.reducer = e.reducer.get();
  e.job.data_parallel = e.reducer != nullptr ? &e.parallel : nullptr;
}

void check_data_parallel(const Args& args, const CheckedEpoch& e) {
  if (!e.dropout_rates.empty()) {
    args.fail("dropout",
              "data-parallel training has no dropout (each process would draw masks for rows the others hold)");
  }
  if (e.rows.weights() != nullptr) {
    args.fail(
        "data",
        "data-parallel training takes no per-row weights (each step would need the global minibatch's total weight)");
  }
}

}  // namespace deltaprop::addon
