#pragma once

#include "codes.h"
#include "kernel_set.h"

namespace deltaprop {

// delta := dLoss/dZ at the output for outputs F and targets T (rows × cols),
// scaled by the reduction (1/rows for Mean); returns the reduced loss without
// any L2 term. mse: δ = (f − t) ⊙ f'(a); the cross-entropies (with sigmoid /
// softmax outputs) δ = f − t.
double output_delta_and_loss(const KernelSet& kernels, index_t rows, index_t cols, Loss loss, Reduction reduction,
                             Activation output, const double* F, const double* T, double* delta);

// How many of the n log terms of a cross-entropy loss had their argument
// floored at DBL_MIN: outputs that give an observed target a probability of
// exactly 0, whose true loss is +∞. Always 0 for mse.
index_t count_floored(Loss loss, index_t n, const double* F, const double* T);

}  // namespace deltaprop
