import { chiSquareSf, normalSf } from './special-functions.js';

/** The result of one two-sample test or distance. */
export interface TestValue {
  /** Test statistic or distance. */
  statistic: number;
  /** p-value, for the hypothesis tests (KS, chi-square, Z). */
  pValue?: number;
}

const sortedCopy = (x: ArrayLike<number>): Float64Array => Float64Array.from(x).sort();

/** Number of sorted values ≤ v (numpy's searchsorted side='right'). */
function countAtMost(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided (Smirnov 1939): D = sup |F₁ − F₂|. The p-value is
 * P(D ≥ d) under H₀, computed exactly (as scipy's ks_2samp mode 'auto' does when max(n₁, n₂) ≤ 10,000)
 * by a dynamic programme over the lattice paths from (0,0) to (n₁,n₂), where a path is inside when
 * |i·n₂ − j·n₁|/g < h (g = gcd, h = round(d·lcm)); O(n₁·n₂) time. Beyond 10,000 rows it uses the
 * Kolmogorov limit 2Σ(−1)^{k−1}exp(−2k²λ²), λ = d·√(n₁n₂/(n₁+n₂)) (an approximation; scipy uses kstwo).
 */
export function ksTwoSample(reference: ArrayLike<number>, current: ArrayLike<number>): TestValue {
  const a = sortedCopy(reference);
  const b = sortedCopy(current);
  const n1 = a.length;
  const n2 = b.length;
  let d = 0;
  for (const v of [a, b])
    for (const x of v) d = Math.max(d, Math.abs(countAtMost(a, x) / n1 - countAtMost(b, x) / n2));
  if (Math.max(n1, n2) > 10000) {
    const lambda = d * Math.sqrt((n1 * n2) / (n1 + n2));
    let p = 0;
    for (let k = 1; k < 200; k++) p += 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    return { statistic: d, pValue: Math.min(1, Math.max(0, lambda === 0 ? 1 : p)) };
  }
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  // scipy reports the statistic snapped to the lattice, h/lcm.
  if (h === 0) return { statistic: 0, pValue: 1 };
  const n1g = n1 / g;
  const n2g = n2 / g;
  const inside = (i: number, j: number) => Math.abs(i * n2g - j * n1g) < h;
  // prob[j] after row i: probability that a uniform random path reaches (i, j) without having left the
  // band; mass entering a cell outside the band is the first exit there and is summed into `outside`
  // (summing exits, not 1 − inside, keeps tiny p-values accurate).
  let outside = 0;
  let prob = new Float64Array(n2 + 1);
  prob[0] = 1;
  for (let j = 1; j <= n2; j++) {
    const p = (prob[j - 1] * (n2 - j + 1)) / (n1 + n2 - j + 1);
    if (inside(0, j)) prob[j] = p;
    else outside += p;
  }
  for (let i = 1; i <= n1; i++) {
    const next = new Float64Array(n2 + 1);
    for (let j = 0; j <= n2; j++) {
      let p = (prob[j] * (n1 - i + 1)) / (n1 + n2 - (i - 1) - j);
      if (j > 0) p += (next[j - 1] * (n2 - j + 1)) / (n1 + n2 - i - (j - 1));
      if (inside(i, j)) next[j] = p;
      else outside += p;
    }
    prob = next;
  }
  return { statistic: h / lcm, pValue: Math.min(1, Math.max(0, outside)) };
}

/**
 * Pearson's chi-square goodness-of-fit test (Pearson 1900), χ² = Σ(o − e)²/e with k − 1 degrees of
 * freedom, as scipy.stats.chisquare(f_obs, f_exp). An expected count of 0 with observations gives χ² = ∞.
 */
export function chiSquare(observed: readonly number[], expected: readonly number[]): TestValue {
  let s = 0;
  for (let i = 0; i < observed.length; i++) {
    const diff = observed[i] - expected[i];
    s += expected[i] === 0 ? (diff === 0 ? 0 : Number.POSITIVE_INFINITY) : (diff * diff) / expected[i];
  }
  return { statistic: s, pValue: chiSquareSf(s, observed.length - 1) };
}

/**
 * Two-proportion Z-test with pooled variance: z = (p₁ − p₂)/√(P(1 − P)(1/n₁ + 1/n₂)), P the pooled share,
 * two-sided p = 2(1 − Φ(|z|)) (Evidently's `z` test for binary columns).
 */
export function proportionZTest(ones1: number, n1: number, ones2: number, n2: number): TestValue {
  const p1 = ones1 / n1;
  const p2 = ones2 / n2;
  const pooled = (ones1 + ones2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: 2 * normalSf(Math.abs(z)) };
}

/**
 * First Wasserstein distance between two empirical distributions, W₁ = ∫|F₁(x) − F₂(x)|dx (Villani 2009;
 * scipy.stats.wasserstein_distance), over the merged sorted support.
 */
export function wassersteinDistance(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const a = sortedCopy(reference);
  const b = sortedCopy(current);
  const all = new Float64Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  all.sort();
  let w = 0;
  for (let k = 0; k + 1 < all.length; k++) {
    const delta = all[k + 1] - all[k];
    if (delta === 0) continue;
    w += Math.abs(countAtMost(a, all[k]) / a.length - countAtMost(b, all[k]) / b.length) * delta;
  }
  return w;
}

/** Population standard deviation (numpy's np.std, ddof = 0), two-pass. */
export function populationStd(x: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) ** 2;
  return Math.sqrt(ss / x.length);
}

/** Evidently's normed Wasserstein distance: W₁(reference, current) / max(std(reference), 0.001). */
export function wassersteinNormed(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), 0.001);
}

const relEntr = (x: number, y: number): number =>
  x > 0 && y > 0 ? x * Math.log(x / y) : x === 0 && y >= 0 ? 0 : Number.POSITIVE_INFINITY;

/**
 * Jensen-Shannon distance (Lin 1991; Endres & Schindelin 2003) √(JS(p‖q)) with logarithms in base 2,
 * JS = ½KL(p‖m) + ½KL(q‖m), m = (p + q)/2, after normalising p and q (scipy.spatial.distance.jensenshannon).
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[], base = 2): number {
  const sp = p.reduce((s, v) => s + v, 0);
  const sq = q.reduce((s, v) => s + v, 0);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2;
    left += relEntr(pi, m);
    right += relEntr(qi, m);
  }
  return Math.sqrt((left + right) / Math.log(base) / 2);
}

/** Population stability index PSI = Σ(rᵢ − cᵢ)·ln(rᵢ/cᵢ) over bins of shares (Yurdakul 2018). */
export function populationStabilityIndex(reference: readonly number[], current: readonly number[]): number {
  let psi = 0;
  for (let i = 0; i < reference.length; i++)
    psi += (reference[i] - current[i]) * Math.log(reference[i] / current[i]);
  return psi;
}
