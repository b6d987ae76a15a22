// Two lanes of SSE2 (every x86-64 CPU). No FMA: multiply then add.
#pragma once

#include <emmintrin.h>

#include "vec_scalar.h"

namespace {

struct Sse2 {
  static constexpr int width = 2;
  using reg = __m128d;
  using mask = __m128d;
  using Scalar = ScalarLane<false>;

  static reg loadu(const double* p) { return _mm_loadu_pd(p); }
  static void storeu(double* p, reg v) { _mm_storeu_pd(p, v); }
  static reg set1(double x) { return _mm_set1_pd(x); }
  static reg zero() { return _mm_setzero_pd(); }
  static reg add(reg a, reg b) { return _mm_add_pd(a, b); }
  static reg sub(reg a, reg b) { return _mm_sub_pd(a, b); }
  static reg mul(reg a, reg b) { return _mm_mul_pd(a, b); }
  static reg sqrt(reg a) { return _mm_sqrt_pd(a); }
  static reg div(reg a, reg b) { return _mm_div_pd(a, b); }
  static reg fma(reg a, reg b, reg c) { return _mm_add_pd(_mm_mul_pd(a, b), c); }
  static reg max(reg a, reg b) { return _mm_max_pd(a, b); }
  static reg min(reg a, reg b) { return _mm_min_pd(a, b); }
  static reg abs(reg a) { return _mm_andnot_pd(_mm_set1_pd(-0.0), a); }
  static mask lt(reg a, reg b) { return _mm_cmplt_pd(a, b); }
  static mask gt(reg a, reg b) { return _mm_cmpgt_pd(a, b); }
  static mask is_nan(reg a) { return _mm_cmpunord_pd(a, a); }
  static reg select(mask m, reg t, reg f) { return _mm_or_pd(_mm_and_pd(m, t), _mm_andnot_pd(m, f)); }
  static reg copysign(reg magnitude, reg sign) {
    const reg s = _mm_set1_pd(-0.0);
    return _mm_or_pd(_mm_andnot_pd(s, magnitude), _mm_and_pd(s, sign));
  }
  static reg round(reg x) {
    const reg shifter = _mm_set1_pd(6755399441055744.0);
    return _mm_sub_pd(_mm_add_pd(x, shifter), shifter);
  }
  // Adding 1.5·2^52 puts n in the low mantissa bits; re-bias and shift into the exponent.
  static reg pow2(reg n) {
    const __m128i bits = _mm_castpd_si128(_mm_add_pd(n, _mm_set1_pd(6755399441055744.0 + 1023.0)));
    return _mm_castsi128_pd(_mm_slli_epi64(bits, 52));
  }
  static double reduce_add(reg a) { return _mm_cvtsd_f64(_mm_add_sd(a, _mm_unpackhi_pd(a, a))); }
};

}  // namespace
