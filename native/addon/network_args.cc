#include "network_args.h"

#include <cmath>
#include <string>
#include <vector>

#include "../kernels/finite.h"

namespace deltaprop::addon {
Layout read_layout(const Args& args, size_t i) {
  const auto sizes = args.int32(i, "sizes");
  const auto activations = args.int32(i + 1, "activations");
  const bool bias = args.boolean(i + 2, "bias");
  if (sizes.length < 2) args.fail("sizes", "expected at least 2 sizes (inputs and one layer)");
  if (activations.length != sizes.length - 1) {
    args.fail("activations", "expected " + std::to_string(sizes.length - 1) + " codes (one per layer), got " +
                                 std::to_string(activations.length));
  }
  // The running parameter count is checked at every layer, before any offset
  // is formed, so no product or sum can overflow.
  std::vector<index_t> units;
  index_t parameters = 0;
  for (index_t l = 0; l < sizes.length; ++l) {
    if (sizes.data[l] < 1 || sizes.data[l] > kMaxUnits) {
      args.fail("sizes",
                "expected every size in [1, " + std::to_string(kMaxUnits) + "], got " + std::to_string(sizes.data[l]));
    }
    units.push_back(sizes.data[l]);
    if (l > 0) {
      parameters += units[l - 1] * units[l] + (bias ? units[l] : 0);
      if (parameters > kMaxParameters)
        args.fail("sizes", "more than " + std::to_string(kMaxParameters) + " parameters");
    }
  }
  std::vector<Activation> codes;
  for (index_t l = 0; l < activations.length; ++l) {
    const int code = activations.data[l];
    if (code < 0 || code >= kActivationCount)
      args.fail("activations", "unknown activation code " + std::to_string(code));
    if (static_cast<Activation>(code) == Activation::Softmax && l + 1 != activations.length) {
      args.fail("activations", "softmax is allowed only on the output layer");
    }
    codes.push_back(static_cast<Activation>(code));
  }
  return Layout(std::move(units), std::move(codes), bias);
}

ArrayView<double> read_params(const Args& args, size_t i, const Layout& layout) {
  const auto params = args.float64(i, "params");
  if (params.length != layout.parameter_count) {
    args.fail("params", "expected " + std::to_string(layout.parameter_count) + " parameters for this layout, got " +
                            std::to_string(params.length));
  }
  return params;
}

void check_loss_output(const Args& args, Loss loss, Activation output) {
  const bool ok = loss == Loss::Mse                  ? output != Activation::Softmax
                  : loss == Loss::BinaryCrossEntropy ? output == Activation::Sigmoid
                                                     : output == Activation::Softmax;
  if (!ok) args.fail("loss", "this loss is not defined for the output activation");
}

namespace {

// Whether every shift is finite and every spread finite and > 0, without a
// test per value (finite.h): a test per value cost a predict of 784 inputs
// more than a microsecond. The value to name is looked for only when one fails.
bool valid_scaling(const InputScaling& scaling) {
  const std::vector<double>& spread = scaling.spread;
  const auto n = static_cast<index_t>(spread.size());
  return all_finite(scaling.shift.data(), n) && all_finite(spread.data(), n) &&
         (n == 0 || lowest(spread.data(), n) > 0.0);
}

}  // namespace

InputScaling read_input_scaling(const Args& args, size_t i, const Layout& layout) {
  const auto shift = args.optional_float64(i, "inputShift");
  const auto spread = args.optional_float64(i + 1, "inputSpread");
  if (shift.present != spread.present) args.fail("inputShift", "expected inputShift and inputSpread both, or neither");
  if (!shift.present) return {};
  if (shift.length != layout.inputs() || spread.length != layout.inputs()) {
    args.fail("inputShift", "expected " + std::to_string(layout.inputs()) + " values each (one per input)");
  }
  InputScaling scaling{{shift.data, shift.data + shift.length}, {spread.data, spread.data + spread.length}};
  if (valid_scaling(scaling)) return scaling;
  for (index_t j = 0; j < layout.inputs(); ++j) {
    if (!std::isfinite(scaling.shift[j]))
      args.fail("inputShift", "expected finite values, got " + format_number(scaling.shift[j]));
    if (!(std::isfinite(scaling.spread[j]) && scaling.spread[j] > 0.0)) {
      args.fail("inputSpread", "expected finite values > 0, got " + format_number(scaling.spread[j]));
    }
  }
  return scaling;
}

RowWeights read_row_weights(const Args& args, size_t i, index_t rows) {
  const auto weights = args.optional_float64(i, "weights");
  if (!weights.present) return {};
  if (weights.length != rows) {
    args.fail("weights",
              "expected " + std::to_string(rows) + " values (one per row), got " + std::to_string(weights.length));
  }
  RowWeights copy{true, {weights.data, weights.data + weights.length}};
  args.require_weights("weights", copy.values.data(), rows);
  return copy;
}

Objective read_objective(const Args& args, size_t i, Activation output) {
  const auto loss = static_cast<Loss>(args.code(i, "loss", kLossCount));
  const auto reduction = static_cast<Reduction>(args.code(i + 1, "reduction", kReductionCount));
  const double l2 = args.finite(i + 2, "l2");
  if (l2 < 0.0) args.fail("l2", "expected a number ≥ 0");
  check_loss_output(args, loss, output);
  return {loss, reduction, l2};
}

}  // namespace deltaprop::addon
