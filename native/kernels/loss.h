#pragma once

#include "codes.h"
#include "kernel_set.h"

namespace deltaprop {

// Per-row weights w_r ≥ 0 (PyTorch's `weight` convention, for every loss): a
// batch's data loss is Σ_r w_r·l_r, divided for Mean by the batch's
// normaliser W = Σ_r w_r instead of its row count, and so is the L2 term and
// its gradient. Null weights: every row weighs 1, W is the row count. These
// two functions are the only place N or W enters (mirrored by src/losses.ts).

// Both are inline: unweighted, they fold to today's 1/N at every call, which
// a 2-3-1 minibatch of 4 rows notices (a call each costs ~5% of its time).

// What Mean divides a batch's sums by: Σ_r w_r, summed in row order, or the
// row count when weights is null (the same double as summing that many ones).
inline double batch_normaliser(index_t rows, const double* weights) {
  if (weights == nullptr) return static_cast<double>(rows);
  double total = 0.0;
  for (index_t r = 0; r < rows; ++r) total += weights[r];
  return total;
}

// The factor the reduction applies to a batch's sums: 1/normaliser for Mean,
// 1 for Sum. A batch of total weight 0 has nothing to learn from: Mean gives
// it 0 (not 1/0), so its loss and gradient are 0.
inline double reduction_scale(Reduction reduction, double normaliser) {
  if (reduction == Reduction::Sum) return 1.0;
  return normaliser > 0.0 ? 1.0 / normaliser : 0.0;
}

// delta := dLoss/dZ at the output for outputs F and targets T (rows × cols):
// row r's δ times w_r (1 when weights is null) and times the reduction's
// scale; returns Σ_r w_r·l_r times that scale, without any L2 term. mse:
// δ = (f − t) ⊙ f'(a); the cross-entropies (with sigmoid / softmax outputs)
// δ = f − t.
double output_delta_and_loss(const KernelSet& kernels, index_t rows, index_t cols, Loss loss, Reduction reduction,
                             Activation output, const double* F, const double* T, double* delta, const double* weights);

// How many of the n log terms of a cross-entropy loss had their argument
// floored at DBL_MIN: outputs that give an observed target a probability of
// exactly 0, whose true loss is +∞. Always 0 for mse. Counted whatever the
// rows' weights.
index_t count_floored(Loss loss, index_t n, const double* F, const double* T);

}  // namespace deltaprop
