#include "metrics.h"

#include <cmath>

namespace deltaprop {
namespace {

// The first index of the largest value (NaN never is).
index_t argmax(const double* x, index_t n) {
  index_t best = 0;
  for (index_t j = 1; j < n; ++j)
    if (x[j] > x[best]) best = j;
  return best;
}

bool all_finite(const double* x, index_t n) {
  for (index_t j = 0; j < n; ++j)
    if (!std::isfinite(x[j])) return false;
  return true;
}

}  // namespace

bool has_accuracy(Activation output) { return output == Activation::Softmax || output == Activation::Sigmoid; }

index_t count_correct(Activation output, index_t rows, index_t cols, const double* F, const double* T) {
  index_t correct = 0;
  if (output == Activation::Softmax) {
    for (index_t r = 0; r < rows; ++r) {
      const double* f = F + r * cols;
      if (all_finite(f, cols) && argmax(f, cols) == argmax(T + r * cols, cols)) ++correct;
    }
  } else if (output == Activation::Sigmoid) {
    for (index_t i = 0; i < rows * cols; ++i)
      if (std::isfinite(F[i]) && (F[i] >= 0.5) == (T[i] >= 0.5)) ++correct;
  }
  return correct;
}

}  // namespace deltaprop
