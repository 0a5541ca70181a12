import type { Rng } from '../../core/index.js';

/** Coalitions (masks over the M features, 1 = kept from the explained row) and their regression weights. */
export interface CoalitionSample {
  /** One mask per coalition, never empty nor full. */
  readonly masks: Uint8Array[];
  /** Regression weight of each coalition (any positive scale). */
  readonly weights: Float64Array;
  /** True when every one of the 2^M − 2 coalitions is present with its Shapley kernel weight. */
  readonly exact: boolean;
}

/** The binomial coefficient C(n, k) as a float. */
export function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * All 2^M − 2 proper non-empty coalitions with the Shapley kernel weight of Lundberg & Lee (2017):
 * π(z) = (M − 1) / (C(M, |z|) · |z| · (M − |z|)).
 */
export function allCoalitions(m: number): CoalitionSample {
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  for (let bits = 1; bits < 2 ** m - 1; bits++) {
    const mask = new Uint8Array(m);
    let size = 0;
    for (let j = 0; j < m; j++) {
      if (Math.floor(bits / 2 ** j) % 2 === 1) {
        mask[j] = 1;
        size++;
      }
    }
    masks.push(mask);
    weights.push((m - 1) / (binomial(m, size) * size * (m - size)));
  }
  return { masks, weights: Float64Array.from(weights), exact: true };
}

/**
 * KernelSHAP's coalition sampling as in shap's KernelExplainer (Lundberg & Lee 2017, shap/explainers/_kernel.py):
 * subset sizes s and M − s are paired; the probability mass of size s is ∝ (M − 1)/(s(M − s)) (doubled for
 * paired sizes); starting from the smallest sizes, every size whose coalitions (and complements) fit in
 * the remaining budget is enumerated in full with weight mass_s / C(M, s) (halved between a set and its
 * complement); the remaining budget is spent on random coalitions drawn by size from the leftover mass,
 * each added with its complement (antithetic pairs), a repeat adding 1 to its weight; the sampled
 * weights are then rescaled to the mass of the sizes not enumerated.
 */
export function sampledCoalitions(m: number, nsamples: number, rng: Rng): CoalitionSample {
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  const sizes = Math.ceil((m - 1) / 2);
  const pairedSizes = Math.floor((m - 1) / 2);
  const mass = Array.from({ length: sizes }, (_, i) => (m - 1) / ((i + 1) * (m - i - 1)));
  for (let i = 0; i < pairedSizes; i++) mass[i] *= 2;
  normalise(mass);

  let fullSizes = 0;
  let left = nsamples;
  const remaining = [...mass];
  for (let s = 1; s <= sizes; s++) {
    const paired = s <= pairedSizes;
    const subsets = binomial(m, s) * (paired ? 2 : 1);
    if ((left * remaining[s - 1]) / subsets < 1 - 1e-8) break;
    fullSizes++;
    left -= subsets;
    const share = remaining[s - 1];
    if (share < 1) for (let i = 0; i < sizes; i++) remaining[i] /= 1 - share;
    const w = mass[s - 1] / binomial(m, s) / (paired ? 2 : 1);
    forEachSubset(m, s, (mask) => {
      masks.push(mask);
      weights.push(w);
      if (paired) {
        masks.push(complement(mask));
        weights.push(w);
      }
    });
  }
  const fixed = masks.length;
  if (fullSizes === sizes) return { masks, weights: Float64Array.from(weights), exact: true };

  let samplesLeft = nsamples - fixed;
  const drawMass = mass.map((v, i) => (i < pairedSizes ? v / 2 : v)).slice(fullSizes);
  normalise(drawMass);
  const used = new Map<string, number>();
  for (let draw = 0; samplesLeft > 0 && draw < 4 * (nsamples - fixed); draw++) {
    const s = pick(drawMass, rng.next()) + fullSizes + 1;
    const order = rng.permutation(m);
    const mask = new Uint8Array(m);
    for (let t = 0; t < s; t++) mask[order[t]] = 1;
    const key = mask.join('');
    const seen = used.get(key);
    if (seen === undefined) {
      used.set(key, masks.length);
      masks.push(mask);
      weights.push(1);
      samplesLeft--;
    } else {
      weights[seen] += 1;
    }
    if (samplesLeft > 0 && s <= pairedSizes) {
      if (seen === undefined) {
        masks.push(complement(mask));
        weights.push(1);
        samplesLeft--;
      } else {
        weights[seen + 1] += 1;
      }
    }
  }
  let drawn = 0;
  for (let k = fixed; k < weights.length; k++) drawn += weights[k];
  let massLeft = 0;
  for (let i = fullSizes; i < sizes; i++) massLeft += mass[i];
  for (let k = fixed; k < weights.length; k++) weights[k] *= massLeft / drawn;
  return { masks, weights: Float64Array.from(weights), exact: false };
}

/** Calls `visit` with a fresh mask for every subset of size `s` of {0..m−1}, in lexicographic order. */
function forEachSubset(m: number, s: number, visit: (mask: Uint8Array) => void): void {
  const idx = Array.from({ length: s }, (_, i) => i);
  for (;;) {
    const mask = new Uint8Array(m);
    for (const i of idx) mask[i] = 1;
    visit(mask);
    let t = s - 1;
    while (t >= 0 && idx[t] === m - s + t) t--;
    if (t < 0) return;
    idx[t]++;
    for (let u = t + 1; u < s; u++) idx[u] = idx[u - 1] + 1;
  }
}

function complement(mask: Uint8Array): Uint8Array {
  return mask.map((v) => 1 - v);
}

function normalise(a: number[]): void {
  const total = a.reduce((x, y) => x + y, 0);
  for (let i = 0; i < a.length; i++) a[i] /= total;
}

/** Index drawn from the discrete distribution `p` with the uniform deviate `u`. */
function pick(p: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < p.length; i++) {
    acc += p[i];
    if (u < acc) return i;
  }
  return p.length - 1;
}
