// Whole-network passes, each decoding and checking its arguments and then
// running: forward, and gradients by backpropagation. Free of N-API, so the
// addon's bindings (network_bindings.cc) and the fuzzer run the same code.
#pragma once

#include "../kernels/engine.h"
#include "args.h"

namespace deltaprop::addon {

// forward(sizes, activations, bias, params, inputs, rows, outputs[], inputShift | null, inputSpread | null)
constexpr size_t kForwardArgs = 9;
void call_forward(const Args& args, const Engine& engine);

// gradients(sizes, activations, bias, loss, reduction, l2, params, inputs, targets, rows, grads,
//           inputShift | null, inputSpread | null, weights | null) → loss, its L2 term included
constexpr size_t kGradientsArgs = 14;
double call_gradients(const Args& args, const Engine& engine);

}  // namespace deltaprop::addon
