// Whether values are all finite, without a test per value: the gemm
// driver's overflow check and the addon's check of an input scaling both
// pass over many values that are almost always finite.
#pragma once

#include "codes.h"

namespace deltaprop {

// Whether x[0..n) are all finite: x − x is 0 for a finite x and NaN for NaN
// or ±∞, and NaN survives addition. Four sums in turn run about four times
// the speed of testing each value (std::isinf).
inline bool all_finite(const double* x, index_t n) {
  double a = 0.0, b = 0.0, c = 0.0, d = 0.0;
  index_t j = 0;
  for (; j + 4 <= n; j += 4) {
    a += x[j] - x[j];
    b += x[j + 1] - x[j + 1];
    c += x[j + 2] - x[j + 2];
    d += x[j + 3] - x[j + 3];
  }
  for (; j < n; ++j) a += x[j] - x[j];
  return (a + b) + (c + d) == 0.0;
}

// The smallest of x[0..n) (n ≥ 1; NaNs are passed over), four minimums in
// turn, for the same reason.
inline double lowest(const double* x, index_t n) {
  double a = x[0], b = x[0], c = x[0], d = x[0];
  index_t j = 0;
  for (; j + 4 <= n; j += 4) {
    a = x[j] < a ? x[j] : a;
    b = x[j + 1] < b ? x[j + 1] : b;
    c = x[j + 2] < c ? x[j + 2] : c;
    d = x[j + 3] < d ? x[j + 3] : d;
  }
  for (; j < n; ++j) a = x[j] < a ? x[j] : a;
  a = b < a ? b : a;
  c = d < c ? d : c;
  return c < a ? c : a;
}

// Whether every element of the m × n block at C (row stride ldc) is finite.
inline bool all_finite(index_t m, index_t n, const double* C, index_t ldc) {
  for (index_t i = 0; i < m; ++i)
    if (!all_finite(C + i * ldc, n)) return false;
  return true;
}

}  // namespace deltaprop
