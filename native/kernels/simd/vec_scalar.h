// One lane: the portable "vector" (the generic ISA) and the tail of every
// other ISA's loops. `fused` chooses between a true fused multiply-add (when
// the unit is compiled for hardware FMA) and a multiply then add (otherwise:
// software fma would be very slow).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace {

template <bool fused>
struct ScalarLane {
  static constexpr int width = 1;
  using reg = double;
  using mask = bool;
  using Scalar = ScalarLane;

  static reg loadu(const double* p) { return *p; }
  static void storeu(double* p, reg v) { *p = v; }
  static reg set1(double x) { return x; }
  static reg zero() { return 0.0; }
  static reg add(reg a, reg b) { return a + b; }
  static reg sub(reg a, reg b) { return a - b; }
  static reg mul(reg a, reg b) { return a * b; }
  static reg sqrt(reg a) { return __builtin_sqrt(a); }  // a builtin: no inline library function another ISA could share
  static reg div(reg a, reg b) { return a / b; }
  static reg fma(reg a, reg b, reg c) {
    if constexpr (fused) return std::fma(a, b, c);
    return a * b + c;
  }
  static reg max(reg a, reg b) { return a > b ? a : b; }
  static reg min(reg a, reg b) { return a < b ? a : b; }
  static reg abs(reg a) { return a < 0.0 ? -a : (a == 0.0 ? 0.0 : a); }
  static mask lt(reg a, reg b) { return a < b; }
  static mask gt(reg a, reg b) { return a > b; }
  static mask is_nan(reg a) { return a != a; }
  static reg select(mask m, reg if_true, reg if_false) { return m ? if_true : if_false; }
  static reg copysign(reg magnitude, reg sign) { return std::copysign(magnitude, sign); }
  // Nearest integer, ties to even, for |x| < 2^51.
  static reg round(reg x) {
    const double shifter = 6755399441055744.0;  // 1.5 · 2^52
    return (x + shifter) - shifter;
  }
  // 2^n for an integer-valued n in [−1022, 1023].
  static reg pow2(reg n) {
    const std::int64_t bits = (static_cast<std::int64_t>(n) + 1023) << 52;
    double out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
  }
  static double reduce_add(reg a) { return a; }
};

}  // namespace
