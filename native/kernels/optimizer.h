// Every optimizer step, mirrored name for name by src/optimizers.ts. For a
// gradient g (weights and biases alike unless said; weights' g includes the
// objective's L2 term):
//   sgd      V := μV + g; W := W − ηV, or with Nesterov W := W − η(g + μV);
//            without momentum W := W − ηg
//   adam     m := β₁m + (1−β₁)g, v := β₂v + (1−β₂)g²,
//            W := W − (η/(1−β₁ᵗ))·m / (√v·(1/√(1−β₂ᵗ)) + ε), t counting steps from 1
//   adamw    W := W·(1 − ηλ) on weights only (never biases), then the Adam step
//   rmsprop  v := αv + (1−α)g², W := W − η·g/(√v + ε)
// The element-wise arithmetic is in optimizer_rows.h (per ISA); here are the
// per-step constants, the state's layout, the whole-buffer step and the
// epilogue that fuses the step into the gemm producing dW.
#pragma once

#include <cstdint>

#include "gemm.h"
#include "kernel_set.h"
#include "layout.h"
#include "optimizer_step.h"

namespace deltaprop {

// How many buffers of the parameters' layout the optimizer keeps (see OptimizerSlots).
int state_slots(const OptimizerSettings& settings);

// base^exponent by squaring, the same multiplications as power() in
// src/optimizers.ts, so that both engines get the same bias corrections
// (libm's pow and V8's may round differently).
double power(double base, std::int64_t exponent);

// Step number t (from 1) at learning rate η; l2_scale as in OptimizerStep.
OptimizerStep make_step(const OptimizerSettings& settings, double learning_rate, std::int64_t t, double l2_scale);

// A network's optimizer state: `slots` buffers of `parameters` values, one
// after another in `buffer` (null when slots = 0).
struct OptimizerState {
  double* buffer = nullptr;
  index_t parameters = 0;
  int slots = 0;

  // Each slot's pointer at one parameter offset.
  OptimizerSlots at(index_t offset) const;
};

// Parameters and their optimizer state, at the same offsets.
struct ParameterBlock {
  double* values;
  OptimizerSlots state;
};

// The step over a whole gradient buffer laid out like the parameters, layer
// by layer (weights, then biases): what the unfused path and the addon's
// optimizerStep run.
void step_parameters(const KernelSet& kernels, const Layout& layout, const OptimizerStep& step, const double* grads,
                     double* params, const OptimizerState& state);

// g := g·c/(‖g‖ + 1e-6) when that factor c/(‖g‖ + 1e-6) is below 1, ‖g‖ the
// L2 norm of all n values (torch.nn.utils.clip_grad_norm_'s rule).
void clip_gradient_norm(index_t n, double* g, double max_norm);

// What the epilogue of dW(l)'s gemm needs: W(l) (fan_out per row) and its state.
struct WeightStepContext {
  const KernelSet* kernels;
  const OptimizerStep* step;
  ParameterBlock weights;
  index_t fan_out;
};

// Spends each finished block of dW at once on the step of the same block of
// W, while the block is still in cache: dW takes no second pass through
// memory. `context` must outlive the gemm.
GemmEpilogue weight_step_epilogue(const WeightStepContext& context);

}  // namespace deltaprop
