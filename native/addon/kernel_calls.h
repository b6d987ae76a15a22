// The low-level kernel calls of the Backend contract, each decoding and
// checking its arguments and then running the kernel. Free of N-API, so the
// addon's bindings (kernel_bindings.cc) and the fuzzer run the same code.
#pragma once

#include "../kernels/engine.h"
#include "args.h"

namespace deltaprop::addon {

// gemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc)
constexpr size_t kGemmArgs = 13;
void call_gemm(const Args& args, const Engine& engine);

// overlaps(a, aSpan, b, bSpan) → whether the first aSpan elements of a and bSpan of b share memory.
constexpr size_t kOverlapsArgs = 4;
bool call_overlaps(const Args& args);

// forwardLayer(rows, fanIn, fanOut, input, W, b | null, activation, output)
constexpr size_t kForwardLayerArgs = 8;
void call_forward_layer(const Args& args, const Engine& engine);

// backpropDelta(rows, fanIn, fanOut, deltaNext, W, activation, A, delta)
constexpr size_t kBackpropDeltaArgs = 8;
void call_backprop_delta(const Args& args, const Engine& engine);

// outputDelta(rows, cols, loss, reduction, activation, F, T, delta, weights | null) → loss
constexpr size_t kOutputDeltaArgs = 9;
double call_output_delta(const Args& args, const Engine& engine);

// optimizerStep(sizes, activations, bias, optimizer, optimizerSettings, optimizerState, stepsTaken,
//               learningRate, grads, params): step number stepsTaken + 1 over whole buffers.
constexpr size_t kOptimizerStepArgs = 10;
void call_optimizer_step(const Args& args, const Engine& engine);

// vectorExp(x, y): y := exp(x) with the engine's vector exp (for its accuracy tests).
constexpr size_t kVectorExpArgs = 2;
void call_vector_exp(const Args& args, const Engine& engine);

}  // namespace deltaprop::addon
