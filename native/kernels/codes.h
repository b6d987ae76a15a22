// Numeric codes and limits shared with src/backend/types.ts. The addon
// exports them (engine_bindings.cc) and test/constants.test.ts compares the
// two copies, so they cannot drift apart.
#pragma once

#include <cstddef>

namespace deltaprop {

using index_t = std::ptrdiff_t;

enum class Activation : int { Identity = 0, Sigmoid = 1, Tanh = 2, Relu = 3, Softmax = 4 };
enum class Loss : int { Mse = 0, BinaryCrossEntropy = 1, CrossEntropy = 2 };
enum class Reduction : int { Mean = 0, Sum = 1 };
enum class Optimizer : int { Sgd = 0, Adam = 1, AdamW = 2, RmsProp = 3 };

constexpr int kActivationCount = 5;
constexpr int kLossCount = 3;
constexpr int kReductionCount = 2;
constexpr int kOptimizerCount = 4;

// Units in one layer, and parameters in one network: every index and product
// either engine forms then stays far inside int64 (and float64's exact integers).
constexpr index_t kMaxUnits = index_t{1} << 24;
constexpr index_t kMaxParameters = 0x7fffffff;
// Threads of one engine's pool.
constexpr index_t kMaxThreads = 256;

}  // namespace deltaprop
