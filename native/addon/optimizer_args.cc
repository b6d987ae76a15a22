#include "optimizer_args.h"

#include <cmath>
#include <string>

namespace deltaprop::addon {
namespace {

// Steps are counted in a double on the JS side: beyond 2^53 they would not be exact.
constexpr index_t kMaxSteps = index_t{1} << 53;

void require_unit_interval(const Args& args, const char* name, double x) {
  if (!(x >= 0.0 && x < 1.0)) args.fail(name, "expected a number in [0, 1), got " + format_number(x));
}

OptimizerSettings read_settings(const Args& args, Optimizer type, const ArrayView<double>& s) {
  if (static_cast<size_t>(s.length) != kOptimizerSettingCount) {
    args.fail("optimizerSettings",
              "expected " + std::to_string(kOptimizerSettingCount) + " values, got " + std::to_string(s.length));
  }
  for (size_t k = 0; k < kOptimizerSettingCount; ++k) {
    if (!std::isfinite(s.data[k]))
      args.fail(kOptimizerSettingNames[k], "expected a finite number, got " + format_number(s.data[k]));
  }
  OptimizerSettings settings;
  settings.type = type;
  settings.momentum = s.data[0];
  settings.beta1 = s.data[2];
  settings.beta2 = s.data[3];
  settings.epsilon = s.data[4];
  settings.weight_decay = s.data[5];
  settings.alpha = s.data[6];
  require_unit_interval(args, "momentum", settings.momentum);
  require_unit_interval(args, "beta1", settings.beta1);
  require_unit_interval(args, "beta2", settings.beta2);
  require_unit_interval(args, "alpha", settings.alpha);
  if (s.data[1] != 0.0 && s.data[1] != 1.0) args.fail("nesterov", "expected 0 or 1, got " + format_number(s.data[1]));
  settings.nesterov = s.data[1] == 1.0;
  if (settings.nesterov && settings.momentum == 0.0) args.fail("nesterov", "needs a momentum > 0");
  if (!(settings.epsilon > 0.0)) args.fail("epsilon", "expected a number > 0, got " + format_number(settings.epsilon));
  if (!(settings.weight_decay >= 0.0))
    args.fail("weightDecay", "expected a number ≥ 0, got " + format_number(settings.weight_decay));
  return settings;
}

}  // namespace

CheckedOptimizer read_optimizer(const Args& args, size_t i, const Layout& layout) {
  const auto type = static_cast<Optimizer>(args.code(i, "optimizer", kOptimizerCount));
  const auto settings_array = args.float64(i + 1, "optimizerSettings");
  const auto state = args.float64(i + 2, "optimizerState");
  const index_t steps = args.integer(i + 3, "stepsTaken", 0, kMaxSteps);
  CheckedOptimizer result{read_settings(args, type, settings_array), state, steps};
  const index_t needed = state_slots(result.settings) * layout.parameter_count;
  if (state.length != needed) {
    args.fail("optimizerState", "expected " + std::to_string(needed) + " values (" +
                                    std::to_string(state_slots(result.settings)) + " per parameter), got " +
                                    std::to_string(state.length));
  }
  return result;
}

}  // namespace deltaprop::addon
