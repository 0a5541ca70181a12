import type { Rng } from '../core/index.js';

/** Below this n·min(p, 1 − p), `binomialSample` inverts the CDF; above it, it uses BTPE. */
export const BINOMIAL_INVERSION_LIMIT = 30;

/**
 * An exact draw from Binomial(n, p), seeded through `rng`. Small means (n·min(p, 1 − p) < 30) use
 * sequential CDF inversion (algorithm BINV); larger ones use BTPE, the triangle-parallelogram-
 * exponential acceptance/rejection sampler of Kachitvichyanukul & Schmeiser, "Binomial random variate
 * generation", CACM 31(2), 1988 (same steps and constants as NumPy's `random_binomial_btpe`). Both are
 * exact (no normal approximation), and the cost does not grow with n, so n may be in the billions
 * (any integer up to 2^53).
 */
export function binomialSample(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const r = Math.min(p, 1 - p);
  const y = n * r < BINOMIAL_INVERSION_LIMIT ? inversion(rng, n, r) : btpe(rng, n, r);
  return p > 0.5 ? n - y : y;
}

/**
 * An exact Multinomial(n, weights / Σ weights) draw written into `out`, by sequential conditional
 * binomials: X_k ~ Binomial(n − Σ_{j<k} X_j, w_k / Σ_{j≥k} w_j) (e.g. Devroye, "Non-Uniform Random
 * Variate Generation", 1986, §XI.1). Weights must be finite and >= 0; a zero weight always gets 0.
 */
export function multinomialSample(rng: Rng, n: number, weights: ArrayLike<number>, out: Float64Array): void {
  let remainingWeight = 0;
  let last = -1;
  for (let k = 0; k < weights.length; k++) {
    remainingWeight += weights[k];
    if (weights[k] > 0) last = k;
  }
  let remaining = n;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k];
    if (remaining <= 0 || w <= 0) {
      out[k] = 0;
    } else if (k === last || w >= remainingWeight) {
      out[k] = remaining;
    } else {
      out[k] = binomialSample(rng, remaining, w / remainingWeight);
    }
    remaining -= out[k];
    remainingWeight -= w;
  }
}

/** BINV: walk the CDF from 0 with the pmf recurrence f(x) = f(x − 1)·(n − x + 1)p / (x·q); p <= 0.5. */
function inversion(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const qn = Math.exp(n * Math.log1p(-p));
  const np = n * p;
  // Restart far in the tail: guards against rounding leaving u above the summed pmf.
  const bound = Math.min(n, np + 10 * Math.sqrt(np * q + 1));
  let x = 0;
  let px = qn;
  let u = rng.next();
  while (u > px) {
    x++;
    if (x > bound) {
      x = 0;
      px = qn;
      u = rng.next();
    } else {
      u -= px;
      px = ((n - x + 1) * p * px) / (x * q);
    }
  }
  return x;
}

/** Stirling-series correction terms of BTPE step 5.3 for one argument (Kachitvichyanukul & Schmeiser). */
function stirlingTail(v: number): number {
  const v2 = v * v;
  return (13680 - (462 - (132 - (99 - 140 / v2) / v2) / v2) / v2) / v / 166320;
}

/** BTPE for p <= 0.5 and n·p >= 30 (steps 0-5 of Kachitvichyanukul & Schmeiser 1988). */
function btpe(rng: Rng, n: number, r: number): number {
  // Step 0: set-up of the four regions (triangle, parallelograms, two exponential tails).
  const q = 1 - r;
  const fm = n * r + r;
  const m = Math.floor(fm);
  const nrq = n * r * q;
  const p1 = Math.floor(2.195 * Math.sqrt(nrq) - 4.6 * q) + 0.5;
  const xm = m + 0.5;
  const xl = xm - p1;
  const xr = xm + p1;
  const c = 0.134 + 20.5 / (15.3 + m);
  let a = (fm - xl) / (fm - xl * r);
  const laml = a * (1 + a / 2);
  a = (xr - fm) / (xr * q);
  const lamr = a * (1 + a / 2);
  const p2 = p1 * (1 + 2 * c);
  const p3 = p2 + c / laml;
  const p4 = p3 + c / lamr;

  for (;;) {
    const u = rng.next() * p4;
    let v = rng.next();
    let y: number;
    if (u <= p1) {
      // Step 1: the triangular region, accepted immediately.
      return Math.floor(xm - p1 * v + u);
    }
    if (u <= p2) {
      // Step 2: parallelograms.
      const x = xl + (u - p1) / c;
      v = v * c + 1 - Math.abs(m - x + 0.5) / p1;
      if (v > 1) continue;
      y = Math.floor(x);
    } else if (u <= p3) {
      // Step 3: left exponential tail.
      y = Math.floor(xl + Math.log(v) / laml);
      if (y < 0 || v === 0) continue;
      v = v * (u - p2) * laml;
    } else {
      // Step 4: right exponential tail.
      y = Math.floor(xr - Math.log(v) / lamr);
      if (y > n || v === 0) continue;
      v = v * (u - p3) * lamr;
    }
    // Step 5: acceptance test against f(y)/f(m).
    const k = Math.abs(y - m);
    if (k <= 20 || k >= nrq / 2 - 1) {
      // Step 5.1: explicit product of pmf ratios.
      const s = r / q;
      const aa = s * (n + 1);
      let f = 1;
      if (m < y) for (let i = m + 1; i <= y; i++) f *= aa / i - s;
      else if (m > y) for (let i = y + 1; i <= m; i++) f /= aa / i - s;
      if (v <= f) return y;
      continue;
    }
    // Step 5.2: squeeze on log f(y)/f(m).
    const rho = (k / nrq) * ((k * (k / 3 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    const t = (-k * k) / (2 * nrq);
    const logV = Math.log(v);
    if (logV < t - rho) return y;
    if (logV > t + rho) continue;
    // Step 5.3: final comparison with Stirling's approximation of the log pmf ratio.
    const x1 = y + 1;
    const f1 = m + 1;
    const z = n + 1 - m;
    const w = n - y + 1;
    const bound =
      xm * Math.log(f1 / x1) +
      (n - m + 0.5) * Math.log(z / w) +
      (y - m) * Math.log((w * r) / (x1 * q)) +
      stirlingTail(f1) +
      stirlingTail(z) +
      stirlingTail(x1) +
      stirlingTail(w);
    if (logV <= bound) return y;
  }
}
