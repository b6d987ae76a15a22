// One layer's passes of backpropagation (the matrix form), each with the epilogue
// that fuses its element-wise work into its gemm, beside its equation:
//   forward   Z = A·W + 1·b, A' = f(Z)
//   backward  δ = (δ'·Wᵀ) ⊙ f'(A)
//   gradients dW = Aᵀ·δ', dB = column sums of δ'
#pragma once

#include <cstdint>

#include "codes.h"
#include "engine.h"
#include "optimizer.h"

namespace deltaprop {

// A layer's input, rows × fan_in: read through `rows` when not null (a
// shuffled minibatch), each column through `columns` (the network's input
// scaling), as the gemm packs it.
struct LayerInput {
  const double* data;
  const std::int32_t* rows = nullptr;
  ColumnAffine columns = {};
};

// output := f(input·W + 1·b): bias and activation fused into the gemm's
// epilogue (softmax, a row operation, right after). W is fan_in × fan_out, b
// fan_out or null.
void forward_layer(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const LayerInput& input,
                   const double* W, const double* b, Activation f, double* output);

// delta := (delta_next·Wᵀ) ⊙ f'(A), and ⊙ mask when a dropout mask (laid
// out like A) is given: fused into the gemm's epilogue. A (rows × fan_in) is
// the activation of the layer below, before dropout; f is not softmax.
void backprop_delta(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const double* delta_next,
                    const double* W, Activation f, const double* A, const double* mask, double* delta);

// dB[j] := Σ_r delta[r][j], rows in order (delta is rows × cols).
void column_sums(index_t rows, index_t cols, const double* delta, double* dB);

// dW := inputᵀ·delta and, when dB is not null, dB := column sums of delta.
void weight_gradients(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const LayerInput& input,
                      const double* delta, double* dW, double* dB);

// The same gradients spent at once on an optimizer step of W (and b, when
// b.values is not null): W's step runs block by block in the epilogue of the
// gemm, while each block of dW is still in cache. dW_scratch (fan_in × fan_out) and
// dB_scratch (fan_out) are space the gemm may use.
void weight_step(const Engine& engine, index_t rows, index_t fan_in, index_t fan_out, const LayerInput& input,
                 const double* delta, const OptimizerStep& step, const ParameterBlock& W, const ParameterBlock& b,
                 double* dW_scratch, double* dB_scratch);

}  // namespace deltaprop
