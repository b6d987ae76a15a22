#include "sgd.h"

namespace deltaprop {

void sgd_update(double* __restrict params, const double* __restrict grads, double* __restrict velocity,
                index_t n, double learning_rate, double momentum) {
  if (velocity == nullptr) {
    for (index_t i = 0; i < n; ++i) params[i] -= learning_rate * grads[i];
    return;
  }
  for (index_t i = 0; i < n; ++i) {
    const double v = momentum * velocity[i] + grads[i];
    velocity[i] = v;
    params[i] -= learning_rate * v;
  }
}

}  // namespace deltaprop
