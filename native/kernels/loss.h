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

}  // namespace deltaprop
