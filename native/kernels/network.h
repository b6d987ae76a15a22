#pragma once

#include <cstdint>
#include <vector>

#include "codes.h"
#include "dropout.h"
#include "engine.h"
#include "layer.h"
#include "layout.h"
#include "loss.h"
#include "optimizer.h"

namespace deltaprop {

struct Objective {
  Loss loss;
  Reduction reduction;
  double l2;
};

// Each layer's activation and δ for batches of up to `capacity` rows, plus
// room for one layer's gradients and, for the layers with a dropout rate,
// their masks and dropped activations; allocated once so that the batches of
// an epoch allocate nothing.
struct Workspace {
  std::vector<std::vector<double>> storage;
  std::vector<double*> activations;  // activations[l]: rows × sizes[l+1], before dropout
  std::vector<double*> deltas;
  std::vector<double*> masks;    // masks[l]: laid out like activations[l], or null without dropout
  std::vector<double*> dropped;  // activations[l] ⊙ masks[l], what layer l+1 reads, or null
  std::vector<double> weight_gradient;  // the largest fan_in × fan_out
  std::vector<double> bias_gradient;    // the largest fan_out
  // dropout_rates: one per layer, or null for none.
  Workspace(const Layout& layout, index_t capacity, const double* dropout_rates = nullptr);

  // Layer l's output as layer l+1 reads it.
  const double* output(index_t l) const { return dropped[l] != nullptr ? dropped[l] : activations[l]; }
};

// outputs[l] := activation of layer l (rows × sizes[l+1]); inputs.rows must be null.
void forward_pass(const Engine& engine, const Layout& layout, const double* params, const LayerInput& inputs,
                  index_t rows, double* const* outputs);

// A minibatch: `rows` rows of the inputs (read as LayerInput says), their
// targets and their weights, already in batch order.
struct Batch {
  LayerInput inputs;
  const double* targets;
  index_t rows;
  const double* weights = nullptr;  // one per row, or null: every row weighs 1

  // What Mean divides by (loss.h): Σ weights, or rows when unweighted.
  double normaliser() const { return batch_normaliser(rows, weights); }
};

// Told each layer's index as soon as its gradient (weights and biases, L2
// included) is final, from the output layer down: a data-parallel step
// starts summing a layer across processes while the layers below are still
// being back-propagated.
class LayerGradientListener {
 public:
  virtual void layer_done(index_t layer) = 0;

 protected:
  ~LayerGradientListener() = default;
};

// grads := dLoss/dparams by backpropagation (matrix form), L2 term included;
// returns the data loss alone (see l2_penalty for the rest of the objective).
// With the batch's weights, both are the weighted ones (loss.h). With
// `dropout` (training only), masks are drawn for this batch first; the
// workspace must have been made with the same rates.
double gradients(const Engine& engine, const Layout& layout, const Objective& objective, const double* params,
                 const Batch& batch, double* grads, Workspace& workspace, const Dropout* dropout = nullptr,
                 LayerGradientListener* listener = nullptr);

// The forward pass of a training minibatch alone, its dropout masks drawn as
// gradients() draws them, into the workspace's activations: what a minibatch
// of total weight 0 still does (no step; its outputs are counted), so that
// the masks of the minibatches after it are those they would have had.
void training_forward(const Engine& engine, const Layout& layout, const double* params, const Batch& batch,
                      Workspace& workspace, const Dropout* dropout);

// λ times the reduction's scale for a batch of that normaliser (Batch::normaliser):
// what L2 adds to ∂L/∂W per unit of W.
double l2_gradient_scale(const Objective& objective, double normaliser);

// Layer l's weight gradient in grads gains scale·W (l2_gradient_scale's scale).
void add_l2_gradient(const Layout& layout, index_t l, double scale, const double* params, double* grads);

// The same gradients spent at once on one optimizer step (step number t,
// from 1), fused into the gemms that produce them: the same new parameters
// and state as gradients() then step_parameters(), bit for bit. Returns the
// data loss before the step.
double training_step(const Engine& engine, const Layout& layout, const Objective& objective, double* params,
                     const OptimizerSettings& optimizer, const OptimizerState& state, std::int64_t t,
                     double learning_rate, const Batch& batch, Workspace& workspace, const Dropout* dropout);

// The L2 term of the objective over a batch of that normaliser (Batch::normaliser):
// (λ/2)·Σ‖W‖², divided by the normaliser for Mean.
double l2_penalty(const Layout& layout, const Objective& objective, const double* params, double normaliser);

}  // namespace deltaprop
