#pragma once

#include "codes.h"

namespace deltaprop {

// output := f(input·W + 1·b); input rows × fan_in, W fan_in × fan_out, b fan_out or null.
void forward_layer(index_t rows, index_t fan_in, index_t fan_out, const double* input, const double* W,
                   const double* b, Activation f, double* output);

// delta := (delta_next·Wᵀ) ⊙ f'(A), A rows × fan_in the activation W reads.
void backprop_delta(index_t rows, index_t fan_in, index_t fan_out, const double* delta_next, const double* W,
                    Activation f, const double* A, double* delta);

// out[j] := Σ_r m[r][j] over a rows × cols block: dB from δ.
void column_sums(index_t rows, index_t cols, const double* m, double* out);

}  // namespace deltaprop
