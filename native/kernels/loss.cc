#include "loss.h"

#include <algorithm>
#include <cfloat>
#include <cmath>


namespace deltaprop {
namespace {

// t·log f with 0·log 0 = 0, and log's argument floored at DBL_MIN so that an
// output saturated to exactly 0 or 1 costs ≈ 708 instead of Infinity.
inline double xlog(double t, double f) { return t > 0.0 ? t * std::log(std::max(f, DBL_MIN)) : 0.0; }

}  // namespace

double output_delta_and_loss(const KernelSet& kernels, index_t rows, index_t cols, Loss loss, Reduction reduction,
                             Activation output, const double* F, const double* T, double* delta) {
  const index_t n = rows * cols;
  const double scale = reduction == Reduction::Mean ? 1.0 / static_cast<double>(rows) : 1.0;
  double total = 0.0;
  for (index_t i = 0; i < n; ++i) {
    const double f = F[i];
    const double t = T[i];
    delta[i] = (f - t) * scale;
    switch (loss) {
      case Loss::Mse: total += 0.5 * (f - t) * (f - t); break;
      case Loss::BinaryCrossEntropy: total -= xlog(t, f) + xlog(1.0 - t, 1.0 - f); break;
      case Loss::CrossEntropy: total -= xlog(t, f); break;
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
