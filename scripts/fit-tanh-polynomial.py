"""Derives the small-argument tanh polynomial of native/kernels/kernel_impl.h.

For |x| < 0.625 the kernels compute tanh(x) = x + x^3 * g(x^2), where g is
this polynomial in u = x^2 (the exp-based formula loses relative accuracy
there to cancellation). g interpolates (tanh(sqrt(u))/sqrt(u) - 1)/u at the
Chebyshev points of [0, 0.625^2], in 60-digit arithmetic, which is within a
hair of the minimax polynomial. Prints the coefficients (constant term
first) and the worst error of the whole formula, evaluated in float64 as the
kernels do, in units in the last place of tanh(x).

Requires mpmath (pip install mpmath). Run: python3 scripts/fit-tanh-polynomial.py
"""
import mpmath as mp

mp.mp.dps = 60
X_MAX = mp.mpf('0.625')
U_MAX = X_MAX ** 2
DEGREE = 11


def g(u):
    if u == 0:
        return mp.mpf(-1) / 3
    x = mp.sqrt(u)
    return (mp.tanh(x) / x - 1) / u


def chebyshev_fit(degree):
    n = degree + 1
    nodes = [U_MAX / 2 * (1 + mp.cos(mp.pi * (k + mp.mpf(1) / 2) / n)) for k in range(n)]
    # Solve the Vandermonde system in high precision: fine at this degree.
    A = mp.matrix([[u ** j for j in range(n)] for u in nodes])
    b = mp.matrix([g(u) for u in nodes])
    return [c for c in mp.lu_solve(A, b)]


def ulp(x):
    m, e = mp.frexp(abs(x))
    return mp.ldexp(1, e - 53)


def evaluate_in_float64(coefficients, x):
    # Horner in float64 with fused multiply-adds, then x + x^3 * p, as the kernels do.
    u = float(x) * float(x)
    p = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        p = mp.mpf(float(mp.fadd(mp.fmul(p, u, exact=True), c, exact=True)))
    x3 = float(x) * u
    return float(mp.fadd(mp.fmul(x3, p, exact=True), float(x), exact=True))


coefficients = [float(c) for c in chebyshev_fit(DEGREE)]
worst = 0
for i in range(1, 20001):
    x = float(X_MAX * i / 20000)
    err = abs(mp.mpf(evaluate_in_float64(coefficients, x)) - mp.tanh(x)) / ulp(mp.tanh(x))
    worst = max(worst, err)
for c in coefficients:
    print(repr(c))
print('worst error on (0, 0.625]:', mp.nstr(worst, 3), 'ulp')
