#include "layer.h"

#include <algorithm>

#include "activation.h"
#include "gemm.h"

namespace deltaprop {

void forward_layer(index_t rows, index_t fan_in, index_t fan_out, const double* input, const double* W,
                   const double* b, Activation f, double* output) {
  gemm(false, false, rows, fan_out, fan_in, 1.0, input, fan_in, W, fan_out, 0.0, output, fan_out);
  if (b != nullptr) {
    for (index_t r = 0; r < rows; ++r) {
      double* row = output + r * fan_out;
      for (index_t j = 0; j < fan_out; ++j) row[j] += b[j];
    }
  }
  activate_in_place(f, output, rows, fan_out);
}

void backprop_delta(index_t rows, index_t fan_in, index_t fan_out, const double* delta_next, const double* W,
                    Activation f, const double* A, double* delta) {
  gemm(false, true, rows, fan_in, fan_out, 1.0, delta_next, fan_out, W, fan_out, 0.0, delta, fan_in);
  multiply_by_derivative(f, delta, A, rows * fan_in);
}

void column_sums(index_t rows, index_t cols, const double* m, double* out) {
  std::fill(out, out + cols, 0.0);
  for (index_t r = 0; r < rows; ++r) {
    const double* row = m + r * cols;
    for (index_t j = 0; j < cols; ++j) out[j] += row[j];
  }
}

}  // namespace deltaprop
