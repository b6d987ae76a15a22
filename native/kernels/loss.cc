#include "loss.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace deltaprop {
namespace {

// t·log f with 0·log 0 = 0, and log's argument floored at DBL_MIN so that an
// output saturated to exactly 0 or 1 costs ≈ 708 instead of Infinity.
inline double xlog(double t, double f) { return t > 0.0 ? t * std::log(std::max(f, DBL_MIN)) : 0.0; }

// One output's term of the per-row loss l_r.
inline double element_loss(Loss loss, double f, double t) {
  switch (loss) {
    case Loss::Mse: return 0.5 * (f - t) * (f - t);
    case Loss::BinaryCrossEntropy: return -(xlog(t, f) + xlog(1.0 - t, 1.0 - f));
    case Loss::CrossEntropy: return -xlog(t, f);
  }
  return 0.0;
}

}  // namespace

double output_delta_and_loss(const KernelSet& kernels, index_t rows, index_t cols, Loss loss, Reduction reduction,
                             Activation output, const double* F, const double* T, double* delta,
                             const double* weights) {
  const index_t n = rows * cols;
  const double scale = reduction_scale(reduction, batch_normaliser(rows, weights));
  double total = 0.0;
  if (weights == nullptr) {
    // One flat loop, as before weights existed: a loop over rows, even with
    // w = 1, costs a 2-3-1 minibatch of 4 rows 3% of its time.
    for (index_t i = 0; i < n; ++i) {
      delta[i] = (F[i] - T[i]) * scale;
      total += element_loss(loss, F[i], T[i]);
    }
  } else {
    for (index_t r = 0; r < rows; ++r) {
      // With w = 1, w·scale and w·term are the flat loop's doubles, added in
      // the same order: all-ones weights train as no weights, to the bit.
      const double w = weights[r];
      const double row_scale = w * scale;
      for (index_t i = r * cols; i < (r + 1) * cols; ++i) {
        delta[i] = (F[i] - T[i]) * row_scale;
        total += w * element_loss(loss, F[i], T[i]);
      }
    }
  }
  if (loss == Loss::Mse) kernels.multiply_derivative(output, n, F, delta);
  return total * scale;
}

index_t count_floored(Loss loss, index_t n, const double* F, const double* T) {
  if (loss == Loss::Mse) return 0;
  index_t floored = 0;
  for (index_t i = 0; i < n; ++i) {
    if (T[i] > 0.0 && F[i] < DBL_MIN) ++floored;
    if (loss == Loss::BinaryCrossEntropy && 1.0 - T[i] > 0.0 && 1.0 - F[i] < DBL_MIN) ++floored;
  }
  return floored;
}

}  // namespace deltaprop
