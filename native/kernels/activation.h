#pragma once

#include "codes.h"

namespace deltaprop {

// a := f(z) in place over a rows × cols block (softmax row by row).
void activate_in_place(Activation f, double* z, index_t rows, index_t cols);

// g := g ⊙ f'(a), with f' taken from the activation a = f(z):
// sigmoid' = a(1 − a), tanh' = 1 − a², relu' = [a > 0], identity' = 1.
// Softmax has no element-wise derivative; callers never pass it (the addon
// rejects layouts that would).
void multiply_by_derivative(Activation f, double* g, const double* a, index_t n);

}  // namespace deltaprop
