import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import { binomialSample, multinomialSample } from './bootstrap-sampling.js';
import { chiSquareSurvival, logGamma } from './representativeness-chi-square.js';

function draws(n: number, p: number, count: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = binomialSample(rng, n, p);
  return out;
}

function moments(x: Float64Array): { mean: number; variance: number } {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  return { mean, variance: ss / (x.length - 1) };
}

/** Exact Binomial(n, p) pmf at k, in log space (hand formula). */
function binomialPmf(n: number, p: number, k: number): number {
  return Math.exp(
    logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p),
  );
}

describe('binomialSample', () => {
  // Inversion (n·p < 30), inversion of the mirrored p, BTPE, and BTPE with n in the billions.
  const cases: [number, number][] = [
    [20, 0.3],
    [50, 0.9],
    [7, 0.5],
    [1000, 0.4],
    [200, 0.5],
    [1e9, 1e-3],
    [3_000_000_000, 0.25],
  ];

  it.each(cases)('Binomial(%d, %d) has mean np and variance np(1-p) within 5 standard errors', (n, p) => {
    const N = 20_000;
    const x = draws(n, p, N, 7);
    const { mean, variance } = moments(x);
    const q = 1 - p;
    const sigma2 = n * p * q;
    // SE of the mean: sqrt(σ²/N); SE of the sample variance: sqrt((μ₄ − σ⁴)/N) with the binomial
    // fourth central moment μ₄ = npq(1 + 3(n − 2)pq).
    const mu4 = sigma2 * (1 + 3 * (n - 2) * p * q);
    expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt(sigma2 / N));
    expect(Math.abs(variance - sigma2)).toBeLessThan(5 * Math.sqrt((mu4 - sigma2 ** 2) / N));
    for (const v of x) expect(Number.isInteger(v) && v >= 0 && v <= n).toBe(true);
  });

  it.each([
    [30, 0.2, 40_000],
    [100, 0.4, 40_000],
    [5000, 0.03, 40_000],
    // Just above the BTPE switch, where the pmf is skewed: enough draws to reject a normal approximation.
    [1000, 0.031, 400_000],
  ])(
    'Binomial(%d, %d) passes a chi-square goodness-of-fit test against the exact pmf (%d draws)',
    (n, p, N) => {
      const x = draws(n, p, N, 11);
      const observed = new Map<number, number>();
      for (const v of x) observed.set(v, (observed.get(v) ?? 0) + 1);
      // Bins of consecutive k with expected count >= 20; the rest of the tails merged into the end bins.
      let stat = 0;
      let bins = 0;
      let expAcc = 0;
      let obsAcc = 0;
      let cdf = 0;
      for (let k = 0; k <= n; k++) {
        const pk = binomialPmf(n, p, k);
        cdf += pk;
        expAcc += N * pk;
        obsAcc += observed.get(k) ?? 0;
        if (expAcc >= 20 && N * (1 - cdf) >= 20) {
          stat += (obsAcc - expAcc) ** 2 / expAcc;
          bins++;
          expAcc = 0;
          obsAcc = 0;
        }
      }
      stat += (obsAcc - expAcc) ** 2 / expAcc;
      bins++;
      // Fixed seed: deterministic; a correct sampler fails this only with probability 1e-4.
      expect(chiSquareSurvival(stat, bins - 1)).toBeGreaterThan(1e-4);
    },
  );

  it('handles the degenerate cases exactly', () => {
    const rng = new Rng(1);
    expect(binomialSample(rng, 0, 0.5)).toBe(0);
    expect(binomialSample(rng, 100, 0)).toBe(0);
    expect(binomialSample(rng, 100, 1)).toBe(100);
  });

  it('is deterministic for a seed', () => {
    expect(draws(1000, 0.37, 50, 3)).toEqual(draws(1000, 0.37, 50, 3));
    expect(draws(1000, 0.37, 50, 3)).not.toEqual(draws(1000, 0.37, 50, 4));
  });
});

describe('multinomialSample', () => {
  it('draws n in total, nothing for zero weights, and means n·w_k / Σw within 5 standard errors', () => {
    const rng = new Rng(5);
    const weights = [30, 0, 10, 60, 0];
    const n = 500;
    const N = 5000;
    const sums = new Float64Array(weights.length);
    const out = new Float64Array(weights.length);
    for (let r = 0; r < N; r++) {
      multinomialSample(rng, n, weights, out);
      expect(out.reduce((s, v) => s + v, 0)).toBe(n);
      expect(out[1]).toBe(0);
      expect(out[4]).toBe(0);
      for (let k = 0; k < out.length; k++) sums[k] += out[k];
    }
    weights.forEach((w, k) => {
      const p = w / 100;
      expect(Math.abs(sums[k] / N - n * p)).toBeLessThanOrEqual(5 * Math.sqrt((n * p * (1 - p)) / N));
    });
  });
});
