// Two lanes of AArch64 Advanced SIMD, with fused multiply-add.
#pragma once

#include <arm_neon.h>

#include "vec_scalar.h"

namespace {

struct Neon {
  static constexpr int width = 2;
  using reg = float64x2_t;
  using mask = uint64x2_t;
  using Scalar = ScalarLane<true>;

  static reg loadu(const double* p) { return vld1q_f64(p); }
  static void storeu(double* p, reg v) { vst1q_f64(p, v); }
  static reg set1(double x) { return vdupq_n_f64(x); }
  static reg zero() { return vdupq_n_f64(0.0); }
  static reg add(reg a, reg b) { return vaddq_f64(a, b); }
  static reg sub(reg a, reg b) { return vsubq_f64(a, b); }
  static reg mul(reg a, reg b) { return vmulq_f64(a, b); }
  static reg sqrt(reg a) { return vsqrtq_f64(a); }
  static reg div(reg a, reg b) { return vdivq_f64(a, b); }
  static reg fma(reg a, reg b, reg c) { return vfmaq_f64(c, a, b); }
  static reg max(reg a, reg b) { return vmaxnmq_f64(a, b); }
  static reg min(reg a, reg b) { return vminnmq_f64(a, b); }
  static reg abs(reg a) { return vabsq_f64(a); }
  static mask lt(reg a, reg b) { return vcltq_f64(a, b); }
  static mask gt(reg a, reg b) { return vcgtq_f64(a, b); }
  static mask is_nan(reg a) { return vreinterpretq_u64_u32(vmvnq_u32(vreinterpretq_u32_u64(vceqq_f64(a, a)))); }
  static reg select(mask m, reg t, reg f) { return vbslq_f64(m, t, f); }
  static reg copysign(reg magnitude, reg sign) {
    const uint64x2_t s = vdupq_n_u64(0x8000000000000000ULL);
    return vbslq_f64(s, sign, magnitude);
  }
  static reg round(reg x) { return vrndnq_f64(x); }
  static reg pow2(reg n) {
    const int64x2_t e = vaddq_s64(vcvtq_s64_f64(n), vdupq_n_s64(1023));
    return vreinterpretq_f64_s64(vshlq_n_s64(e, 52));
  }
  static double reduce_add(reg a) { return vaddvq_f64(a); }
};

}  // namespace
