#include "network.h"

#include <utility>

#include "layer.h"
#include "loss.h"

namespace deltaprop {

Layout::Layout(std::vector<index_t> sizes_in, std::vector<Activation> activations_in, bool bias_in)
    : sizes(std::move(sizes_in)), activations(std::move(activations_in)), bias(bias_in) {
  for (index_t l = 0; l < layer_count(); ++l) {
    weight_offsets.push_back(parameter_count);
    parameter_count += sizes[l] * sizes[l + 1];
    bias_offsets.push_back(bias ? parameter_count : -1);
    if (bias) parameter_count += sizes[l + 1];
  }
}

Workspace::Workspace(const Layout& layout, index_t capacity) {
  for (index_t l = 0; l < layout.layer_count(); ++l) {
    const auto size = static_cast<size_t>(capacity * layout.sizes[l + 1]);
    activation_storage.emplace_back(size);
    delta_storage.emplace_back(size);
    activations.push_back(activation_storage.back().data());
    deltas.push_back(delta_storage.back().data());
  }
}

void forward_pass(const Engine& engine, const Layout& layout, const double* params, const double* inputs,
                  index_t rows, double* const* outputs) {
  const double* input = inputs;
  for (index_t l = 0; l < layout.layer_count(); ++l) {
    const double* b = layout.bias ? params + layout.bias_offsets[l] : nullptr;
    forward_layer(engine, rows, layout.sizes[l], layout.sizes[l + 1], input, params + layout.weight_offsets[l], b,
                  layout.activations[l], outputs[l]);
    input = outputs[l];
  }
}

// Backward, with δ(L) from the loss:
//   dW(l) = A(l)ᵀ δ(l+1),  dB(l) = column sums of δ(l+1),  δ(l) = (δ(l+1) W(l)ᵀ) ⊙ f'(A(l))
double gradients(const Engine& engine, const Layout& layout, const Objective& objective, const double* params,
                 const double* inputs, const double* targets, index_t rows, double* grads, Workspace& ws) {
  const index_t last = layout.layer_count() - 1;
  const auto& A = ws.activations;
  forward_pass(engine, layout, params, inputs, rows, A.data());

  const double loss = output_delta_and_loss(*engine.kernels, rows, layout.outputs(), objective.loss, objective.reduction,
                                      layout.activations[last], A[last], targets, ws.deltas[last]);

  for (index_t l = last; l >= 0; --l) {
    const index_t fan_in = layout.sizes[l];
    const index_t fan_out = layout.sizes[l + 1];
    const double* input = l == 0 ? inputs : A[l - 1];
    weight_gradients(engine, rows, fan_in, fan_out, input, ws.deltas[l], grads + layout.weight_offsets[l],
                     layout.bias ? grads + layout.bias_offsets[l] : nullptr);
    if (l > 0) {
      backprop_delta(engine, rows, fan_in, fan_out, ws.deltas[l], params + layout.weight_offsets[l],
                     layout.activations[l - 1], A[l - 1], ws.deltas[l - 1]);
    }
  }

  if (objective.l2 > 0.0) {
    // L gains (λ/2)·scale·Σ‖W‖², so ∂L/∂W gains λ·scale·W; biases are not penalised.
    const double scale = objective.l2 * (objective.reduction == Reduction::Mean ? 1.0 / static_cast<double>(rows) : 1.0);
    for (index_t l = 0; l <= last; ++l) {
      const index_t begin = layout.weight_offsets[l];
      const index_t end = begin + layout.sizes[l] * layout.sizes[l + 1];
      for (index_t i = begin; i < end; ++i) grads[i] += scale * params[i];
    }
  }
  return loss;
}

double l2_penalty(const Layout& layout, const Objective& objective, const double* params, index_t rows) {
  if (objective.l2 == 0.0) return 0.0;
  double squares = 0.0;
  for (index_t l = 0; l < layout.layer_count(); ++l) {
    const index_t begin = layout.weight_offsets[l];
    const index_t end = begin + layout.sizes[l] * layout.sizes[l + 1];
    for (index_t i = begin; i < end; ++i) squares += params[i] * params[i];
  }
  const double scale = objective.reduction == Reduction::Mean ? 1.0 / static_cast<double>(rows) : 1.0;
  return 0.5 * objective.l2 * scale * squares;
}

}  // namespace deltaprop
