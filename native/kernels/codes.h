// Numeric codes shared with src/backend/types.ts; change both together.
#pragma once

#include <cstddef>

namespace deltaprop {

using index_t = std::ptrdiff_t;

enum class Activation : int { Identity = 0, Sigmoid = 1, Tanh = 2, Relu = 3, Softmax = 4 };
enum class Loss : int { Mse = 0, BinaryCrossEntropy = 1, CrossEntropy = 2 };
enum class Reduction : int { Mean = 0, Sum = 1 };

constexpr int kActivationCount = 5;
constexpr int kLossCount = 3;
constexpr int kReductionCount = 2;

}  // namespace deltaprop
