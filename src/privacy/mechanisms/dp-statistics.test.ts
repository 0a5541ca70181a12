import { describe, expect, it } from 'vitest';
import { DataValidationError, InvalidParameterError } from '../../core/index.js';
import { dpCount, dpHistogram, dpMean, dpSum } from './dp-statistics.js';
import { meanAndVariance } from './goodness-of-fit.test-suite.js';
import { SeededRandom } from './random-source.js';

describe('dpCount', () => {
  it('releases an integer ≥ 0 with unbiased discrete Laplace noise of variance 2q/(1 − q)², q = e^−ε', () => {
    const r = new SeededRandom(41);
    const rows = new Array(100).fill(0);
    const xs = Array.from({ length: 4000 }, () => dpCount(rows, { epsilon: 1, random: r }).value);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    const q = Math.exp(-1); // hand derivation of the Lap_ℤ(1) variance
    const variance = (2 * q) / (1 - q) ** 2;
    const stats = meanAndVariance(xs);
    expect(Math.abs(stats.mean - 100)).toBeLessThan(5 * Math.sqrt(variance / 4000));
    expect(Math.abs(stats.variance / variance - 1)).toBeLessThan(5 * Math.sqrt(5.23 / 4000)); // κ ≤ 6.23, see discrete.test.ts
  });

  it('returns what a ledger needs, clamps at 0 and rejects a bad ε', () => {
    const release = dpCount([], { epsilon: 0.1, seed: 1 });
    expect(release).toMatchObject({ epsilon: 0.1, delta: 0, mechanism: 'discrete-laplace' });
    expect(release.value).toBeGreaterThanOrEqual(0);
    expect(() => dpCount([1], { epsilon: 0 })).toThrow(
      /'epsilon' option of dpCount must be a finite number > 0/,
    );
    expect(() => dpCount([1], { epsilon: Number.NaN })).toThrow(InvalidParameterError);
  });
});

describe('dpSum', () => {
  it('clamps to [lower, upper] and adds snapped noise with Δ = max(|lower|, |upper|)', () => {
    // Clamped sum of 1..10 to [0, 5] = 1 + 2 + 3 + 4 + 5·6 = 40 (hand). Δ = 5, ε = 1: Λ = 2, so outputs are
    // multiples of Δ·Λ = 10; 40/Δ = 8 is on the grid, so the snapped noise is symmetric around 40.
    const values = Array.from({ length: 10 }, (_, i) => i + 1);
    const r = new SeededRandom(42);
    const xs = Array.from(
      { length: 3000 },
      () => dpSum(values, { epsilon: 1, lower: 0, upper: 5, random: r }).value,
    );
    expect(xs.every((x) => Number.isInteger(x / 10))).toBe(true);
    const { mean, variance } = meanAndVariance(xs);
    expect(Math.abs(mean - 40)).toBeLessThan(5 * Math.sqrt(variance / 3000));
    // Sensitivity from the larger |bound|: [−7, 3] gives Δ = 7, outputs on 7·2·ℤ.
    const y = dpSum(values, { epsilon: 1, lower: -7, upper: 3, seed: 2 });
    expect(Number.isInteger(y.value / 14)).toBe(true);
    expect(y).toMatchObject({ epsilon: 1, delta: 0, mechanism: 'snapping-laplace' });
  });

  it('rejects bad bounds, ε and missing values', () => {
    expect(() => dpSum([1], { epsilon: 1, lower: 2, upper: 2 })).toThrow(
      /'upper' option of dpSum must be a finite number > lower/,
    );
    expect(() => dpSum([1], { epsilon: 1, lower: Number.NaN, upper: 2 })).toThrow(/'lower'/);
    expect(() => dpSum([1], { epsilon: -1, lower: 0, upper: 2 })).toThrow(/'epsilon'/);
    expect(() => dpSum([1, Number.NaN], { epsilon: 1, lower: 0, upper: 2 })).toThrow(DataValidationError);
  });
});

describe('dpMean', () => {
  it('splits ε between a noisy sum and a noisy count and stays in [lower, upper]', () => {
    const values = new Array(1000).fill(2);
    const r = new SeededRandom(43);
    for (let i = 0; i < 50; i++) {
      const m = dpMean(values, { epsilon: 2, lower: 0, upper: 4, random: r });
      // Sum noise: Δ = 4 at ε = 1 has sd ≈ 4·√2·Λ-scale ≈ 10, count noise sd ≈ 1.4: error ≈ 10/1000 (hand estimate).
      expect(Math.abs(m.value - 2)).toBeLessThan(0.1);
      expect(m).toMatchObject({ epsilon: 2, delta: 0, mechanism: 'snapping-laplace+discrete-laplace' });
    }
    const empty = dpMean([], { epsilon: 1, lower: -1, upper: 1, seed: 5 });
    expect(empty.value >= -1 && empty.value <= 1).toBe(true);
    expect(() => dpMean([1], { epsilon: 1, lower: 1, upper: 0 })).toThrow(InvalidParameterError);
  });
});

describe('dpHistogram', () => {
  it('counts categories (values outside the bins are dropped); at ε = 50 the noise is 0 w.p. 1 − 2e^−50', () => {
    const values = [...new Array(50).fill('a'), ...new Array(30).fill('b'), 'z'];
    const h = dpHistogram(values, { epsilon: 50, bins: ['a', 'b', 'c'], seed: 1 });
    expect(h.value).toEqual({ labels: ['a', 'b', 'c'], counts: [50, 30, 0] });
    expect(h).toMatchObject({ epsilon: 50, delta: 0, mechanism: 'discrete-laplace' });
  });

  it('bins numbers by edges [e_i, e_{i+1}), the last bin closed', () => {
    const h = dpHistogram([-1, 0, 5, 9.99, 10, 20, 25], { epsilon: 50, edges: [0, 10, 20], seed: 1 });
    expect(h.value).toEqual({ labels: ['[0, 10)', '[10, 20]'], counts: [3, 2] });
  });

  it('adds independent noise per bin (ε-DP in total by parallel composition) and keeps counts ≥ 0', () => {
    const r = new SeededRandom(44);
    const xs = Array.from(
      { length: 2000 },
      () => dpHistogram([1, 1, 2], { epsilon: 1, bins: [1, 2, 3], random: r }).value.counts,
    );
    expect(xs.every((c) => c.every((v) => Number.isInteger(v) && v >= 0))).toBe(true);
    const first = meanAndVariance(xs.map((c) => c[0]));
    expect(Math.abs(first.mean - 2)).toBeLessThan(0.3); // clamping at 0 biases it up slightly: E ≈ 2.06 (hand)
  });

  it('rejects ambiguous or malformed bins', () => {
    expect(() => dpHistogram([1], { epsilon: 1 })).toThrow(/exactly one of the options 'bins'/);
    expect(() => dpHistogram([1], { epsilon: 1, bins: [1], edges: [0, 1] })).toThrow(InvalidParameterError);
    expect(() => dpHistogram([1], { epsilon: 1, bins: ['a', 'a'] })).toThrow(/must not repeat/);
    expect(() => dpHistogram([1], { epsilon: 1, edges: [1, 0] })).toThrow(/strictly ascending/);
    expect(() => dpHistogram([1], { epsilon: 0, bins: [1] })).toThrow(/'epsilon'/);
  });
});
