// Eight lanes of AVX-512 Foundation.
#pragma once

// GCC 12's AVX-512 intrinsics initialise their "undefined" operands from
// themselves, which -Wuninitialized reports at every use; the warning is
// spurious (GCC bug 105593), so it is silenced for this header's users only.
// (Clang has no -Wmaybe-uninitialized and no such bug.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "vec_scalar.h"

namespace {

struct Avx512 {
  static constexpr int width = 8;
  using reg = __m512d;
  using mask = __mmask8;
  using Scalar = ScalarLane<true>;

  static reg loadu(const double* p) { return _mm512_loadu_pd(p); }
  static void storeu(double* p, reg v) { _mm512_storeu_pd(p, v); }
  static reg set1(double x) { return _mm512_set1_pd(x); }
  static reg zero() { return _mm512_setzero_pd(); }
  static reg add(reg a, reg b) { return _mm512_add_pd(a, b); }
  static reg sub(reg a, reg b) { return _mm512_sub_pd(a, b); }
  static reg mul(reg a, reg b) { return _mm512_mul_pd(a, b); }
  static reg sqrt(reg a) { return _mm512_sqrt_pd(a); }
  static reg div(reg a, reg b) { return _mm512_div_pd(a, b); }
  static reg fma(reg a, reg b, reg c) { return _mm512_fmadd_pd(a, b, c); }
  static reg max(reg a, reg b) { return _mm512_max_pd(a, b); }
  static reg min(reg a, reg b) { return _mm512_min_pd(a, b); }
  static reg abs(reg a) { return _mm512_abs_pd(a); }
  static mask lt(reg a, reg b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
  static mask gt(reg a, reg b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
  static mask is_nan(reg a) { return _mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q); }
  static reg select(mask m, reg t, reg f) { return _mm512_mask_blend_pd(m, f, t); }
  static reg copysign(reg magnitude, reg sign) {
    const __m512i s = _mm512_set1_epi64(static_cast<long long>(0x8000000000000000ULL));
    const __m512i m = _mm512_castpd_si512(magnitude);
    const __m512i g = _mm512_castpd_si512(sign);
    return _mm512_castsi512_pd(_mm512_or_si512(_mm512_andnot_si512(s, m), _mm512_and_si512(s, g)));
  }
  static reg round(reg x) { return _mm512_roundscale_pd(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static reg pow2(reg n) {
    const __m512i bits = _mm512_castpd_si512(_mm512_add_pd(n, _mm512_set1_pd(6755399441055744.0 + 1023.0)));
    return _mm512_castsi512_pd(_mm512_slli_epi64(bits, 52));
  }
  static double reduce_add(reg a) { return _mm512_reduce_add_pd(a); }
};

}  // namespace
