// Reading an optimizer and its state from addon arguments, with every rule
// the kernels rely on checked (code, settings' ranges, the state's length).
#pragma once

#include <cstdint>

#include "../kernels/layout.h"
#include "../kernels/optimizer.h"
#include "args.h"

namespace deltaprop::addon {

// The settings array's order, as src/backend/types.ts's OPTIMIZER_SETTINGS.
constexpr const char* kOptimizerSettingNames[] = {"momentum", "nesterov",    "beta1", "beta2",
                                                  "epsilon",  "weightDecay", "alpha"};
constexpr size_t kOptimizerSettingCount = sizeof kOptimizerSettingNames / sizeof kOptimizerSettingNames[0];

struct CheckedOptimizer {
  OptimizerSettings settings;
  ArrayView<double> state;  // state_slots(settings) × parameter_count values
  std::int64_t steps_taken;
};

// Arguments i..i+3: optimizer code, settings (Float64Array), state
// (Float64Array, may be empty when the optimizer keeps none), steps taken.
CheckedOptimizer read_optimizer(const Args& args, size_t i, const Layout& layout);

}  // namespace deltaprop::addon
