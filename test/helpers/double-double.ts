// A small double-double arithmetic (≈106-bit significands) for reference
// values of exp, sigmoid and tanh, independent of the code under test.
// A value is [hi, lo] with |lo| ≤ ulp(hi)/2.

export type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

// Dekker's split: a = hi + lo with each half fitting 26 bits, so products of halves are exact.
function split(a: number): DD {
  const t = 134217729 * a; // 2^27 + 1
  const hi = t - (t - a);
  return [hi, a - hi];
}

function twoProduct(a: number, b: number): DD {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

export function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [s2, e2] = quickTwoSum(s, e + t);
  return quickTwoSum(s2, e2 + f);
}

export function mul(a: DD, b: DD): DD {
  const [p, e] = twoProduct(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

export function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = add(a, mul(b, [-q1, 0]));
  const q2 = r[0] / b[0];
  const r2 = add(r, mul(b, [-q2, 0]));
  const q3 = r2[0] / b[0];
  return add(quickTwoSum(q1, q2), [q3, 0]);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];

/** exp(x) to about 1e-30 relative, for x in the range where the result is normal. */
export function exp(x: number): DD {
  const n = Math.round(x / LN2[0]);
  const r = add([x, 0], mul(LN2, [-n, 0])); // |r| ≤ ~0.347
  // Taylor series: 27 terms leave a truncation error below 1e-33.
  let term: DD = [1, 0];
  let sum: DD = [1, 0];
  for (let i = 1; i <= 27; i++) {
    term = div(mul(term, r), [i, 0]);
    sum = add(sum, term);
  }
  // 2^n in two factors, applied one after the other, keeps every step representable.
  const h = Math.trunc(n / 2);
  return [sum[0] * 2 ** h * 2 ** (n - h), sum[1] * 2 ** h * 2 ** (n - h)];
}

export function sigmoid(z: number): DD {
  return div([1, 0], add([1, 0], exp(-z)));
}

export function tanh(z: number): DD {
  if (Math.abs(z) < 1e-9) {
    // tanh z = z − z³/3 + …: the cubic term is below 1e-27 relative here.
    return add([z, 0], [(-z * z * z) / 3, 0]);
  }
  const e = exp(2 * z);
  return div(add(e, [-1, 0]), add(e, [1, 0]));
}

/** The spacing of doubles at |x| (normal x). */
export function ulp(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const exponent = (view.getUint16(0) >> 4) & 0x7ff;
  return 2 ** (Math.max(exponent, 1) - 1075);
}

/** |got − want| in units in the last place of want. */
export function ulpError(got: number, want: DD): number {
  const diff = add([got, 0], [-want[0], -want[1]]);
  return Math.abs(diff[0]) / ulp(want[0]);
}
