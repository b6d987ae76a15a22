#pragma once

#include <cstdint>

#include "codes.h"
#include "engine.h"
#include "gemm.h"

namespace deltaprop {

// output := f(input·W + 1·b): one gemm with bias and activation fused into
// its epilogue (softmax, a row operation, right after). input is rows ×
// fan_in, read through input_rows when not null (a shuffled minibatch);
// W is fan_in × fan_out, b fan_out or null.
void forward_layer(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* input,
                   const std::int32_t* input_rows, const double* W, const double* b, Activation f, double* output);

// delta := (delta_next·Wᵀ) ⊙ f'(A): one gemm with the derivative fused into
// its epilogue. A (rows × fan_in) is the activation W reads; f is not softmax.
void backprop_delta(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* delta_next,
                    const double* W, Activation f, const double* A, double* delta);

// dW := inputᵀ·delta and, when dB is not null, dB := column sums of delta,
// taken while the gemm packs delta.
void weight_gradients(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* input,
                      const std::int32_t* input_rows, const double* delta, double* dW, double* dB);

// The same gradients, spent at once on an SGD step of W (and b), tile by tile
// inside the gemm: dW is never stored whole. vW/vb are the velocities (null
// without momentum); dW_scratch (fan_in × fan_out) and dB_scratch (fan_out)
// are space the gemm may use. The step's l2_scale applies to W only.
void weight_step(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* input,
                 const std::int32_t* input_rows, const double* delta, double* W, double* b, double* vW, double* vb,
                 const SgdStep& step, double* dW_scratch, double* dB_scratch);

}  // namespace deltaprop
