#pragma once

#include <atomic>
#include <cstdint>

#include "dropout.h"
#include "gradient_reducer.h"
#include "network.h"

namespace deltaprop {

// One epoch (or part of one) of minibatch training: the rows of
// inputs/targets listed in `order`, `batch_size` at a time.
struct EpochJob {
  const Layout* layout;
  Objective objective;
  double* params;  // updated in place
  OptimizerSettings optimizer;
  OptimizerState state;       // updated in place
  std::int64_t steps_taken;   // before this call: its first minibatch is step steps_taken + 1
  const double* inputs;       // the rows order indexes, each inputs() wide
  ColumnAffine input_columns; // the network's input scaling, or none
  const double* targets;      // likewise, outputs() wide
  const double* weights;      // one per row, likewise, or null: every row weighs 1 (loss.h)
  const std::int32_t* order;  // row indices to visit, in this order
  index_t count;              // how many
  index_t batch_size;
  double learning_rate;
  // > 0: each minibatch's whole gradient is rescaled to at most this L2 norm
  // before its step, which needs the whole gradient first: the step is then
  // not fused (dW is stored, and the parameters take one more pass).
  double clip_norm;
  const double* dropout_rates;  // one per layer, or null for no dropout
  Xoshiro128* random;           // the dropout masks' generator, advanced in place
  // Checked before each minibatch: once it is nonzero, no further minibatch starts.
  const std::atomic<int>* abort;
  // Where EpochResult::loss_sum starts: the sum of earlier calls of the same
  // epoch, so that one summed in several calls adds its terms in the same order.
  double loss_sum_start;
  // Null: this process trains alone. Otherwise `order` is the global order
  // every process shares, each minibatch is ranks × batch_size rows of it,
  // and this process computes its share (no dropout: each process would draw
  // masks for rows the others hold; no weights: the step would need the
  // global minibatch's total weight). EpochResult then counts this process's
  // rows only: the caller sums the results over the processes.
  const DataParallel* data_parallel = nullptr;
};

struct EpochResult {
  // loss_sum_start + Σ over the minibatches of their data loss before their
  // update, times their normaliser for Mean (Σ_b W_b·L_b; W_b = N_b
  // unweighted) or as it is for Sum.
  double loss_sum = 0.0;
  // Correct outputs of the minibatches before their update (metrics.h), and
  // log terms floored in their losses (loss.h's count_floored): counts of
  // rows, whatever their weights.
  index_t correct = 0;
  index_t floored = 0;
  index_t minibatches = 0;  // that ran: fewer than planned when aborted
  index_t rows = 0;         // that they held
  double weight_sum = 0.0;  // Σ_b W_b, their normalisers: `rows` when unweighted
  // Optimizer steps taken: the minibatches but those of total weight 0, which
  // take none (they leave the parameters, the state and t as they were).
  index_t steps = 0;
};

EpochResult train_epoch(const Engine& engine, const EpochJob& job);

}  // namespace deltaprop
