#pragma once

#include "codes.h"

namespace deltaprop {

// Without momentum (velocity == nullptr): params −= lr·grads.
// With momentum μ: velocity := μ·velocity + grads, params −= lr·velocity.
void sgd_update(double* params, const double* grads, double* velocity, index_t n,
                double learning_rate, double momentum);

}  // namespace deltaprop
