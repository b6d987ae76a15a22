#pragma once

#include <cstdint>
#include <vector>

#include "codes.h"
#include "engine.h"
#include "gemm.h"

namespace deltaprop {

// The shape of a network and where each layer's parameters live in the one
// parameter buffer: W(l) (sizes[l] × sizes[l+1]) then b(l), layer after layer.
// Built only from inputs the addon has already checked.
struct Layout {
  std::vector<index_t> sizes;            // [inputs, units of layer 0, ..., outputs]
  std::vector<Activation> activations;   // one per layer
  bool bias = true;
  std::vector<index_t> weight_offsets;   // start of W(l)
  std::vector<index_t> bias_offsets;     // start of b(l), or -1 without biases
  index_t parameter_count = 0;

  Layout(std::vector<index_t> sizes, std::vector<Activation> activations, bool bias);
  index_t layer_count() const { return static_cast<index_t>(activations.size()); }
  index_t inputs() const { return sizes.front(); }
  index_t outputs() const { return sizes.back(); }
  index_t weight_count(index_t l) const { return sizes[l] * sizes[l + 1]; }
};

struct Objective {
  Loss loss;
  Reduction reduction;
  double l2;
};

// Each layer's activation and δ for batches of up to `capacity` rows, plus
// room for one layer's gradients, allocated once so that the batches of an
// epoch allocate nothing.
struct Workspace {
  std::vector<std::vector<double>> activation_storage;
  std::vector<std::vector<double>> delta_storage;
  std::vector<double*> activations;  // activations[l]: rows × sizes[l+1]
  std::vector<double*> deltas;
  std::vector<double> weight_gradient;  // the largest fan_in × fan_out
  std::vector<double> bias_gradient;    // the largest fan_out
  Workspace(const Layout& layout, index_t capacity);
};

// outputs[l] := activation of layer l (rows × sizes[l+1]).
void forward_pass(const Engine& engine, const Layout& layout, const double* params, const double* inputs,
                  index_t rows, double* const* outputs);

// A minibatch: `rows` rows of the inputs (read through input_rows when not
// null) and their targets, already in batch order.
struct Batch {
  const double* inputs;
  const std::int32_t* input_rows;
  const double* targets;
  index_t rows;
};

// grads := dLoss/dparams by backpropagation (matrix form), L2 term included;
// returns the data loss alone (see l2_penalty for the rest of the objective).
double gradients(const Engine& engine, const Layout& layout, const Objective& objective, const double* params,
                 const Batch& batch, double* grads, Workspace& workspace);

// The same gradients spent at once on one step of SGD (with momentum when
// velocity is not null), fused into the gemms that produce them: the same
// new parameters as gradients() then sgd_update(), bit for bit. Returns the
// data loss before the step.
double sgd_step(const Engine& engine, const Layout& layout, const Objective& objective, double* params,
                double* velocity, const Batch& batch, double learning_rate, double momentum, Workspace& workspace);

// The L2 term of the objective over a batch of `rows`: (λ/2)·Σ‖W‖², divided by rows for Mean.
double l2_penalty(const Layout& layout, const Objective& objective, const double* params, index_t rows);

}  // namespace deltaprop
