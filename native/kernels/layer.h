#pragma once

#include "codes.h"
#include "engine.h"

namespace deltaprop {

// output := f(input·W + 1·b): one gemm with bias and activation fused into
// its epilogue (softmax, a row operation, right after). input rows × fan_in,
// W fan_in × fan_out, b fan_out or null.
void forward_layer(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* input,
                   const double* W, const double* b, Activation f, double* output);

// delta := (delta_next·Wᵀ) ⊙ f'(A): one gemm with the derivative fused into
// its epilogue. A (rows × fan_in) is the activation W reads; f is not softmax.
void backprop_delta(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* delta_next,
                    const double* W, Activation f, const double* A, double* delta);

// dW := inputᵀ·delta and, when dB is not null, dB := column sums of delta,
// taken while the gemm packs delta.
void weight_gradients(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* input,
                      const double* delta, double* dW, double* dB);

}  // namespace deltaprop
