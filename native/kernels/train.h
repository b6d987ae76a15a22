#pragma once

#include <cstdint>

#include "dropout.h"
#include "network.h"

namespace deltaprop {

// One epoch of minibatch training over the rows of inputs/targets in `order`.
struct EpochJob {
  const Layout* layout;
  Objective objective;
  double* params;  // updated in place
  OptimizerSettings optimizer;
  OptimizerState state;       // updated in place
  std::int64_t steps_taken;   // before this epoch: its first minibatch is step steps_taken + 1
  const double* inputs;       // rows × inputs
  const double* targets;      // rows × outputs
  index_t rows;
  const std::int32_t* order;  // a permutation of 0..rows-1
  index_t batch_size;
  double learning_rate;
  // > 0: each minibatch's whole gradient is rescaled to at most this L2 norm
  // before its step, which needs the whole gradient first: the step is then
  // not fused (dW is stored, and the parameters take one more pass).
  double clip_norm;
  const double* dropout_rates;  // one per layer, or null for no dropout
  Xoshiro128* random;           // the dropout masks' generator, advanced in place
};

// Returns the epoch's loss on the scale of gradients() over the whole set:
// each minibatch's data loss before its update, averaged over samples for Mean
// (Σ_b N_b·L_b / N) or summed for Sum, plus the L2 term of the weights at the
// end of the epoch, counted once with N = rows.
double train_epoch(const Engine& engine, const EpochJob& job);

}  // namespace deltaprop
