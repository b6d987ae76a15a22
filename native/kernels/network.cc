#include "network.h"

#include <algorithm>

#include "loss.h"

namespace deltaprop {
namespace {

// Forward (with this batch's dropout masks, when given) and δ(L) from the
// loss; returns the data loss.
double forward_and_output_delta(const Engine& engine, const Layout& layout, const Objective& objective,
                                const double* params, const Batch& batch, Workspace& ws, const Dropout* dropout) {
  training_forward(engine, layout, params, batch, ws, dropout);
  const index_t last = layout.layer_count() - 1;
  return output_delta_and_loss(*engine.kernels, batch.rows, layout.outputs(), objective.loss, objective.reduction,
                               layout.activations[last], ws.activations[last], batch.targets, ws.deltas[last],
                               batch.weights);
}

// Backward, layer by layer from the output:
//   δ(l) = (δ(l+1) W(l)ᵀ) ⊙ f'(A(l)) (⊙ the mask of A(l) under dropout), formed
// before W(l) is used for anything else, then weight_work(l, input)
// with δ(l+1) in ws.deltas[l]: dW(l) = A(l)ᵀ δ(l+1) and dB(l) = column sums
// of δ(l+1), stored or spent on a step. A(l) is read as layer l read it.
template <class WeightWork>
void backward(const Engine& engine, const Layout& layout, const double* params, const Batch& batch, Workspace& ws,
              WeightWork weight_work) {
  for (index_t l = layout.layer_count() - 1; l >= 0; --l) {
    if (l > 0) {
      backprop_delta(engine, batch.rows, layout.sizes[l], layout.sizes[l + 1], ws.deltas[l],
                     params + layout.weight_offsets[l], layout.activations[l - 1], ws.activations[l - 1],
                     ws.masks[l - 1], ws.deltas[l - 1]);
    }
    weight_work(l, l == 0 ? batch.inputs : LayerInput{ws.output(l - 1)});
  }
}

}  // namespace

void training_forward(const Engine& engine, const Layout& layout, const double* params, const Batch& batch,
                      Workspace& ws, const Dropout* dropout) {
  LayerInput input = batch.inputs;
  for (index_t l = 0; l < layout.layer_count(); ++l) {
    const double* b = layout.bias ? params + layout.bias_offsets[l] : nullptr;
    const index_t units = layout.sizes[l + 1];
    forward_layer(engine, batch.rows, layout.sizes[l], units, input, params + layout.weight_offsets[l], b,
                  layout.activations[l], ws.activations[l]);
    if (dropout != nullptr && ws.masks[l] != nullptr) {
      draw_mask(dropout->rates[l], batch.rows * units, *dropout->random, ws.masks[l]);
      engine.kernels->multiply_mask(batch.rows * units, ws.masks[l], ws.activations[l], ws.dropped[l]);
    }
    input = LayerInput{ws.output(l)};
  }
}

double l2_gradient_scale(const Objective& objective, double normaliser) {
  return objective.l2 * reduction_scale(objective.reduction, normaliser);
}

void add_l2_gradient(const Layout& layout, index_t l, double scale, const double* params, double* grads) {
  // L gains (λ/2)·scale·Σ‖W‖², so ∂L/∂W gains λ·scale·W; biases are not penalised.
  if (scale == 0.0) return;
  const double* W = params + layout.weight_offsets[l];
  double* dW = grads + layout.weight_offsets[l];
  for (index_t i = 0; i < layout.weight_count(l); ++i) dW[i] += scale * W[i];
}

Workspace::Workspace(const Layout& layout, index_t capacity, const double* dropout_rates) {
  index_t largest_weights = 0;
  index_t largest_layer = 0;
  const auto buffer = [&](index_t size) {
    storage.emplace_back(static_cast<size_t>(size));
    return storage.back().data();
  };
  for (index_t l = 0; l < layout.layer_count(); ++l) {
    const index_t size = capacity * layout.sizes[l + 1];
    activations.push_back(buffer(size));
    deltas.push_back(buffer(size));
    const bool drops = dropout_rates != nullptr && dropout_rates[l] > 0.0;
    masks.push_back(drops ? buffer(size) : nullptr);
    dropped.push_back(drops ? buffer(size) : nullptr);
    largest_weights = std::max(largest_weights, layout.weight_count(l));
    largest_layer = std::max(largest_layer, layout.sizes[l + 1]);
  }
  weight_gradient.resize(static_cast<size_t>(largest_weights));
  bias_gradient.resize(static_cast<size_t>(largest_layer));
}

void forward_pass(const Engine& engine, const Layout& layout, const double* params, const LayerInput& inputs,
                  index_t rows, double* const* outputs) {
  LayerInput input = inputs;
  for (index_t l = 0; l < layout.layer_count(); ++l) {
    const double* b = layout.bias ? params + layout.bias_offsets[l] : nullptr;
    forward_layer(engine, rows, layout.sizes[l], layout.sizes[l + 1], input, params + layout.weight_offsets[l], b,
                  layout.activations[l], outputs[l]);
    input = LayerInput{outputs[l]};
  }
}

double gradients(const Engine& engine, const Layout& layout, const Objective& objective, const double* params,
                 const Batch& batch, double* grads, Workspace& ws, const Dropout* dropout,
                 LayerGradientListener* listener) {
  const double loss = forward_and_output_delta(engine, layout, objective, params, batch, ws, dropout);
  const double scale = l2_gradient_scale(objective, batch.normaliser());
  backward(engine, layout, params, batch, ws, [&](index_t l, const LayerInput& input) {
    double* dW = grads + layout.weight_offsets[l];
    weight_gradients(engine, batch.rows, layout.sizes[l], layout.sizes[l + 1], input, ws.deltas[l], dW,
                     layout.bias ? grads + layout.bias_offsets[l] : nullptr);
    add_l2_gradient(layout, l, scale, params, grads);
    if (listener != nullptr) listener->layer_done(l);
  });
  return loss;
}

double training_step(const Engine& engine, const Layout& layout, const Objective& objective, double* params,
                     const OptimizerSettings& optimizer, const OptimizerState& state, std::int64_t t,
                     double learning_rate, const Batch& batch, Workspace& ws, const Dropout* dropout) {
  const double loss = forward_and_output_delta(engine, layout, objective, params, batch, ws, dropout);
  const OptimizerStep step = make_step(optimizer, learning_rate, t, l2_gradient_scale(objective, batch.normaliser()));
  backward(engine, layout, params, batch, ws, [&](index_t l, const LayerInput& input) {
    const index_t w = layout.weight_offsets[l];
    const index_t b = layout.bias_offsets[l];
    const ParameterBlock weights{params + w, state.at(w)};
    const ParameterBlock biases = layout.bias ? ParameterBlock{params + b, state.at(b)} : ParameterBlock{nullptr, {}};
    weight_step(engine, batch.rows, layout.sizes[l], layout.sizes[l + 1], input, ws.deltas[l], step, weights, biases,
                ws.weight_gradient.data(), ws.bias_gradient.data());
  });
  return loss;
}

double l2_penalty(const Layout& layout, const Objective& objective, const double* params, double normaliser) {
  if (objective.l2 == 0.0) return 0.0;
  double squares = 0.0;
  for (index_t l = 0; l < layout.layer_count(); ++l) {
    const double* W = params + layout.weight_offsets[l];
    for (index_t i = 0; i < layout.weight_count(l); ++i) squares += W[i] * W[i];
  }
  return 0.5 * objective.l2 * reduction_scale(objective.reduction, normaliser) * squares;
}

}  // namespace deltaprop
