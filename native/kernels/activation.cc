#include "activation.h"

#include <algorithm>
#include <cmath>

namespace deltaprop {
namespace {

// Subtracting the row maximum keeps exp() from overflowing; it cancels in the ratio.
void softmax_row(double* z, index_t cols) {
  const double max = *std::max_element(z, z + cols);
  double sum = 0.0;
  for (index_t j = 0; j < cols; ++j) {
    z[j] = std::exp(z[j] - max);
    sum += z[j];
  }
  for (index_t j = 0; j < cols; ++j) z[j] /= sum;
}

}  // namespace

void activate_in_place(Activation f, double* z, index_t rows, index_t cols) {
  const index_t n = rows * cols;
  switch (f) {
    case Activation::Identity:
      return;
    case Activation::Sigmoid:
      for (index_t i = 0; i < n; ++i) z[i] = 1.0 / (1.0 + std::exp(-z[i]));
      return;
    case Activation::Tanh:
      for (index_t i = 0; i < n; ++i) z[i] = std::tanh(z[i]);
      return;
    case Activation::Relu:
      for (index_t i = 0; i < n; ++i) z[i] = z[i] > 0.0 ? z[i] : 0.0;
      return;
    case Activation::Softmax:
      for (index_t r = 0; r < rows; ++r) softmax_row(z + r * cols, cols);
      return;
  }
}

void multiply_by_derivative(Activation f, double* g, const double* a, index_t n) {
  switch (f) {
    case Activation::Identity:
    case Activation::Softmax:
      return;
    case Activation::Sigmoid:
      for (index_t i = 0; i < n; ++i) g[i] *= a[i] * (1.0 - a[i]);
      return;
    case Activation::Tanh:
      for (index_t i = 0; i < n; ++i) g[i] *= 1.0 - a[i] * a[i];
      return;
    case Activation::Relu:
      for (index_t i = 0; i < n; ++i) g[i] = a[i] > 0.0 ? g[i] : 0.0;
      return;
  }
}

}  // namespace deltaprop
