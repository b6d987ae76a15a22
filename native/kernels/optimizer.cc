#include "optimizer.h"

#include <cmath>

namespace deltaprop {

int state_slots(const OptimizerSettings& settings) {
  switch (settings.type) {
    case Optimizer::Sgd: return settings.momentum != 0.0 ? 1 : 0;
    case Optimizer::Adam:
    case Optimizer::AdamW: return 2;
    case Optimizer::RmsProp: return 1;
  }
  return 0;
}

double power(double base, std::int64_t exponent) {
  double result = 1.0;
  for (double square = base; exponent > 0; exponent >>= 1, square *= square)
    if (exponent & 1) result *= square;
  return result;
}

OptimizerStep make_step(const OptimizerSettings& settings, double learning_rate, std::int64_t t, double l2_scale) {
  OptimizerStep step;
  step.settings = settings;
  step.learning_rate = learning_rate;
  step.l2_scale = l2_scale;
  step.step_size = learning_rate;
  if (settings.type == Optimizer::Adam || settings.type == Optimizer::AdamW) {
    step.step_size = learning_rate / (1.0 - power(settings.beta1, t));
    step.inverse_sqrt_correction2 = 1.0 / std::sqrt(1.0 - power(settings.beta2, t));
  }
  if (settings.type == Optimizer::AdamW) step.decay_factor = 1.0 - learning_rate * settings.weight_decay;
  return step;
}

OptimizerSlots OptimizerState::at(index_t offset) const {
  OptimizerSlots slots_at;
  if (slots >= 1) slots_at.first = buffer + offset;
  if (slots >= 2) slots_at.second = buffer + parameters + offset;
  return slots_at;
}

void step_parameters(const KernelSet& kernels, const Layout& layout, const OptimizerStep& step, const double* grads,
                     double* params, const OptimizerState& state) {
  for (index_t l = 0; l < layout.layer_count(); ++l) {
    const index_t w = layout.weight_offsets[l];
    kernels.optimizer_step(step, ParameterKind::Weights, layout.weight_count(l), grads + w, params + w, state.at(w));
    if (layout.bias) {
      const index_t b = layout.bias_offsets[l];
      kernels.optimizer_step(step, ParameterKind::Biases, layout.sizes[l + 1], grads + b, params + b, state.at(b));
    }
  }
}

void clip_gradient_norm(index_t n, double* g, double max_norm) {
  double squares = 0.0;
  for (index_t i = 0; i < n; ++i) squares += g[i] * g[i];
  const double factor = max_norm / (std::sqrt(squares) + 1e-6);
  if (factor < 1.0)
    for (index_t i = 0; i < n; ++i) g[i] *= factor;
}

namespace {

OptimizerSlots shifted(const OptimizerSlots& slots, index_t by) {
  return {slots.first != nullptr ? slots.first + by : nullptr, slots.second != nullptr ? slots.second + by : nullptr};
}

void step_weight_block(const void* context, double* dW, index_t ld, index_t i0, index_t j0, index_t rows,
                       index_t cols) {
  const auto& e = *static_cast<const WeightStepContext*>(context);
  // A block whose rows follow each other (in dW and in W) is one run: one
  // call, with full vectors even when rows are narrower than a vector.
  const bool flat = ld == cols && e.fan_out == cols;
  const index_t run = flat ? rows * cols : cols;
  const index_t runs = flat ? 1 : rows;
  for (index_t r = 0; r < runs; ++r) {
    const index_t at = (i0 + r) * e.fan_out + j0;
    e.kernels->optimizer_step(*e.step, ParameterKind::Weights, run, dW + r * ld, e.weights.values + at,
                              shifted(e.weights.state, at));
  }
}

}  // namespace

GemmEpilogue weight_step_epilogue(const WeightStepContext& context) { return {&step_weight_block, &context}; }

}  // namespace deltaprop
